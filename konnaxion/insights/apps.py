from django.apps import AppConfig

from konnaxion.core.reference_data import reference_data_register
from konnaxion.insights.reference_data import load


class InsightsConfig(AppConfig):
    name = "konnaxion.insights"
    label = "insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        # Its data migration fills a new database; `reference_data_load` refills an emptied one.
        reference_data_register(app_label=self.label, loader=load)
