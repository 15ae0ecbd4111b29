from rest_framework import pagination

from konnaxion.core.errors import ValidationFailed


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M` (at most 100 a page); a malformed `page_size` is refused."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request) -> int:
        raw = request.query_params.getlist(self.page_size_query_param)
        if not raw:
            return self.page_size
        try:
            size = int(raw[-1])
        except ValueError:
            size = 0
        if len(raw) > 1 or not 1 <= size <= self.max_page_size:
            raise ValidationFailed(
                f"page_size must be a whole number from 1 to {self.max_page_size}.",
                details={"fields": {"page_size": ["Invalid page size."]}},
            )
        return size

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            bounds = {"page": {"minimum": 1}, "page_size": {"minimum": 1, "maximum": 100}}
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters
