from django.apps import AppConfig


class EthikosConfig(AppConfig):
    name = "konnaxion.ethikos"
    label = "ethikos"
    verbose_name = "ethiKos"
