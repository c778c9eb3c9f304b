"""One name key (org.naming.normalize_name) for the registry in the database and for the importer: what
one calls the same unit, the other does too, and the keys already stored are brought to it."""

import importlib

import pytest
from django.apps import apps

from org.models import Department, DepartmentAlias, DepartmentGroup, DepartmentGroupAlias
from org.naming import fold, normalize_name, plain_name
from org.selectors import unit_by_name, unit_name_taken
from plans.importing import textutil
from plans.selectors import import_registry

SAME_UNIT = [
    ("市發改委", "市发改委"),  # traditional characters
    ("各縣（市）區 ", "各县(市)区"),  # full-width brackets, a trailing space
    ("各县〔市〕区", "各县(市)区"),  # any bracket form
    ("市人民政府办公室", "市政府办公室"),
    ("中共市委办公室", "市委办公室"),
    ("市 教育局", "市教育局"),
    ("、市教育局。", "市教育局"),  # punctuation left over from a list
    ("市⽂化局", "市文化局"),  # a Kangxi radical, as PDF text often has
]
OTHER_UNITS = [("市教育局", "区教育局"), ("市委办公室", "市政府办公室"), ("各县区政府", "各县区")]


@pytest.mark.parametrize(("written", "same"), SAME_UNIT)
def test_names_of_the_same_unit_share_the_key(written, same):
    assert normalize_name(written) == normalize_name(same)


@pytest.mark.parametrize(("one", "other"), OTHER_UNITS)
def test_names_of_other_units_keep_their_own_keys(one, other):
    assert normalize_name(one) != normalize_name(other)


def test_the_folding_under_the_key_keeps_the_length_and_is_the_importers():
    text = "各縣（市）區人民政府\ue010"
    assert len(fold(text)) == len(text) and fold(text) == "各县(市)区人民政府."
    assert textutil.fold is fold
    assert plain_name("、各縣（市）區 人民政府。") == "各县(市)区人民政府"


@pytest.mark.django_db
def test_the_database_and_the_importer_resolve_a_name_to_the_same_unit():
    office = Department.objects.create(name="市政府办公室")
    DepartmentGroup.objects.create(name="各县区政府")
    registry = import_registry()
    for written in ("市人民政府办公室", "市政府办公室 ", "市政府辦公室"):
        assert unit_by_name(written) == office
        assert registry.resolve(written).canonical == "市政府办公室"
    assert unit_name_taken("各县区人民政府") and registry.resolve("各縣區人民政府").kind == "group"
    assert not unit_name_taken("市教育局") and registry.resolve("市教育局").kind == "unknown"


@pytest.mark.django_db
def test_stored_keys_are_computed_again_and_aliases_that_add_nothing_go():
    rekey = importlib.import_module("org.migrations.0004_normalized_names_one_key").rekey
    government = Department.objects.create(name="市政府")
    party = Department.objects.create(name="中共市委办公室")
    DepartmentAlias.objects.create(department=government, name="市人民政府")
    DepartmentAlias.objects.create(department=party, name="市委办")
    group = DepartmentGroup.objects.create(name="三县人民政府")
    DepartmentGroupAlias.objects.create(group=group, name="三县政府")
    DepartmentGroupAlias.objects.create(group=group, name="三县")
    # the keys as the earlier key stored them: simplified and without spaces only
    for model in (Department, DepartmentAlias, DepartmentGroup, DepartmentGroupAlias):
        for row in model.objects.all():
            model.objects.filter(pk=row.pk).update(normalized_name=row.name)
    rekey(apps, None)
    assert dict(Department.objects.values_list("name", "normalized_name")) == {
        "市政府": "市政府",
        "中共市委办公室": "市委办公室",
    }
    assert list(DepartmentAlias.objects.values_list("name", "normalized_name")) == [("市委办", "市委办")]
    assert list(DepartmentGroup.objects.values_list("normalized_name", flat=True)) == ["三县政府"]
    assert list(DepartmentGroupAlias.objects.values_list("name", flat=True)) == ["三县"]


@pytest.mark.django_db
def test_two_units_that_now_share_a_key_stop_the_migration_with_their_names():
    rekey = importlib.import_module("org.migrations.0004_normalized_names_one_key").rekey
    Department.objects.create(name="市政府")
    other = Department.objects.create(name="市人民政府x")
    Department.objects.filter(pk=other.pk).update(name="市人民政府")  # stored under the earlier key
    with pytest.raises(RuntimeError, match="市政府、市人民政府 现在是同一个名称"):
        rekey(apps, None)
