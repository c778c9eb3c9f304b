"""Reading many plain rows without the ORM's per-row work."""

from django.core.exceptions import EmptyResultSet
from django.db import connection


def plain_rows(queryset) -> list[tuple]:
    """A values_list queryset's rows, on PostgreSQL straight from the cursor.

    For reads counted in tens or hundreds of thousands of rows: psycopg already gives
    integers, text and dates their Python types, and Django's conversion of each row
    costs as much as the query. SQLite returns dates as text, so there the ORM reads them.
    """
    if connection.vendor != "postgresql":
        return list(queryset)
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing, e.g. `__in` an empty list
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
