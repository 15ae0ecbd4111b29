from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "konnaxion.core"
    label = "core"
    verbose_name = "Core"
