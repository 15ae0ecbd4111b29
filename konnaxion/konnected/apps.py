from django.apps import AppConfig


class KonnectedConfig(AppConfig):
    name = "konnaxion.konnected"
    label = "konnected"
    verbose_name = "KonnectED"
