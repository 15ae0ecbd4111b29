from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "konnaxion.insights"
    label = "insights"
    verbose_name = "Insights"
