from rest_framework.routers import DefaultRouter


class Router(DefaultRouter):
    """DRF's router without `.json`-style suffix routes: one URL per resource."""

    include_format_suffixes = False
