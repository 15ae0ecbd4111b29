from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data of a first run (`seed_demo`): it sits above the domains and calls each
    one's own demo loader, so the kernel knows none of them."""

    name = "konnaxion.demo"
    label = "demo"
    verbose_name = "Demo data"
