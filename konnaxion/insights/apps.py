from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "konnaxion.insights"
    label = "insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        from konnaxion.core.reference_data import reference_data_register
        from konnaxion.insights.reference_data import load

        # Its data migration fills a new database; `reference_data_load` refills an emptied one.
        reference_data_register(app_label=self.label, loader=load)
