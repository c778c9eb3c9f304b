from rest_framework.pagination import PageNumberPagination


class CappedPageNumberPagination(PageNumberPagination):
    """Page size chosen by the client, never above max_page_size."""

    page_size_query_param = "page_size"
    max_page_size = 500
