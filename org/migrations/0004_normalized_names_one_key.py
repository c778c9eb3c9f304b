"""Every stored unit key is computed again by the one name key, org.naming.normalize_name, which now
also unifies brackets, reads 人民政府 as 政府 and drops a leading 中共, as the importer always did.

An alias whose new key is its own unit's key adds nothing and goes; so does the later of two aliases of
the same unit that now share a key. Two units, or aliases of two different units, that now share a key
stop the migration with their names: which of them stays is for a supervisor to decide on the registry
page. Going back leaves the keys as they are.
"""

from collections import defaultdict

from django.db import migrations

from org.naming import normalize_name


def _rekey(model, *, owner: str | None = None, owner_keys: dict | None = None) -> None:
    rows = list(model.objects.order_by("pk"))
    by_key = defaultdict(list)
    for row in rows:
        row.new_key = normalize_name(row.name)
        if owner and owner_keys.get(getattr(row, f"{owner}_id")) == row.new_key:
            row.delete()  # the same as its unit's own name now
            continue
        by_key[row.new_key].append(row)
    kept = []
    for key, same in by_key.items():
        owners = {getattr(row, f"{owner}_id") for row in same} if owner else {row.pk for row in same}
        if len(owners) > 1:
            names = "、".join(row.name for row in same)
            raise RuntimeError(f"{model._meta.verbose_name}:{names} 现在是同一个名称({key}),请先在单位名录中合并")
        kept.append(same[0])
        for duplicate in same[1:]:
            duplicate.delete()
    changed = [row for row in kept if row.normalized_name != row.new_key]
    # Through a placeholder, so that no row takes a key another row still holds for a moment.
    for row in changed:
        model.objects.filter(pk=row.pk).update(normalized_name=f"#{row.pk}")
    for row in changed:
        model.objects.filter(pk=row.pk).update(normalized_name=row.new_key)


def rekey(apps, schema_editor):
    Department = apps.get_model("org", "Department")
    DepartmentGroup = apps.get_model("org", "DepartmentGroup")
    _rekey(Department)
    _rekey(
        apps.get_model("org", "DepartmentAlias"),
        owner="department",
        owner_keys=dict(Department.objects.values_list("pk", "normalized_name")),
    )
    _rekey(DepartmentGroup)
    _rekey(
        apps.get_model("org", "DepartmentGroupAlias"),
        owner="group",
        owner_keys=dict(DepartmentGroup.objects.values_list("pk", "normalized_name")),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0003_departmentgroupalias"),
    ]

    operations = [
        migrations.RunPython(rekey, migrations.RunPython.noop),
    ]
