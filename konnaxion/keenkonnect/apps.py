from django.apps import AppConfig


class KeenkonnectConfig(AppConfig):
    name = "konnaxion.keenkonnect"
    label = "keenkonnect"
    verbose_name = "keenKonnect"
