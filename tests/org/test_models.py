import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from org.models import Department, DepartmentAlias, DepartmentGroup
from org.naming import normalize_name

pytestmark = pytest.mark.django_db


def test_traditional_and_width_variants_normalize_alike():
    assert normalize_name("市發改委") == normalize_name("市发改委")
    assert normalize_name("各縣（市）區 ") == normalize_name("各县(市)区")


def test_department_names_are_unique_after_normalization():
    Department.objects.create(name="市教育局")
    with pytest.raises(IntegrityError), transaction.atomic():
        Department.objects.create(name="市教育局 ")
    DepartmentGroup.objects.create(name="各县区政府")
    with pytest.raises(IntegrityError), transaction.atomic():
        DepartmentGroup.objects.create(name="各縣區政府")


def test_alias_cannot_take_another_departments_name():
    edu = Department.objects.create(name="市教育局")
    Department.objects.create(name="市财政局")
    alias = DepartmentAlias(department=edu, name="市財政局")
    with pytest.raises(ValidationError):
        alias.full_clean()
    DepartmentAlias.objects.create(department=edu, name="西宁市教育局")
    with pytest.raises(IntegrityError), transaction.atomic():
        DepartmentAlias.objects.create(department=edu, name="西寧市教育局")
