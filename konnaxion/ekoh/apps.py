from django.apps import AppConfig


class EkohConfig(AppConfig):
    name = "konnaxion.ekoh"
    label = "ekoh"
    verbose_name = "EkoH"
