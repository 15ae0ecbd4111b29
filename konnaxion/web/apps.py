from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "konnaxion.web"
    label = "web"
    verbose_name = "Web front"
