from rest_framework import serializers

from org.models import Department, DepartmentGroup
from org.naming import normalize_name


def _unique_normalized(model, value, instance, message):
    """Names are unique by their normalized form (the database says so too); refuse a twin with a 400, not a 500."""
    key = normalize_name(value)
    if not key:
        raise serializers.ValidationError("名称不能只由空白或符号组成。")
    twins = model.objects.filter(normalized_name=key)
    if instance is not None:
        twins = twins.exclude(pk=instance.pk)
    if twins.exists():
        raise serializers.ValidationError(message)
    return value


class DepartmentSerializer(serializers.ModelSerializer):
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Department
        fields = ["id", "name", "short_name", "kind", "parent", "is_active", "aliases"]

    def validate_name(self, value):
        return _unique_normalized(Department, value, self.instance, "已有同名(或仅写法不同)的单位。")


class DepartmentGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = DepartmentGroup
        fields = ["id", "name", "members"]

    def validate_name(self, value):
        return _unique_normalized(DepartmentGroup, value, self.instance, "已有同名(或仅写法不同)的单位组。")
