from rest_framework import serializers

from org.models import Department, DepartmentGroup


class DepartmentSerializer(serializers.ModelSerializer):
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Department
        fields = ["id", "name", "short_name", "kind", "parent", "is_active", "aliases"]


class DepartmentGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = DepartmentGroup
        fields = ["id", "name", "members"]
