from django.apps import AppConfig


class KreativeConfig(AppConfig):
    name = "konnaxion.kreative"
    label = "kreative"
    verbose_name = "Kreative"
