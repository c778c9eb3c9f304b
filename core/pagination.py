from rest_framework.pagination import PageNumberPagination


class CappedPageNumberPagination(PageNumberPagination):
    """Page size chosen by the client, never above max_page_size."""

    page_size_query_param = "page_size"
    max_page_size = 500


class KeysFirstPagination(CappedPageNumberPagination):
    """Pages a costly queryset by its keys, then reads the page's rows in full.

    For lists whose rows carry computed columns (status, light, span start): the
    database orders and counts with only what the filters and the ordering need,
    and works out the rest for the rows shown, not for every row an offset skips.
    """

    def paginate_queryset(self, queryset, request, view=None):
        keys = super().paginate_queryset(queryset.prefetch_related(None).values_list("pk", flat=True), request, view)
        if keys is None:
            return None
        by_key = {row.pk: row for row in queryset.order_by().filter(pk__in=keys)}
        return [by_key[key] for key in keys]
