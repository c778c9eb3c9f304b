"""Filters the API's lists share."""

import django_filters as df
from django import forms

BIGGEST_ID = 2**63 - 1  # the largest key PostgreSQL and SQLite store; a larger one is a bad request, not a 500


class IdFilter(df.NumberFilter):
    """A filter naming a row by its id: a whole number from 1 to BIGGEST_ID, else 400 with the reason."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", BIGGEST_ID)
        super().__init__(*args, **kwargs)
