from django.apps import AppConfig

from konnaxion.core.reference_data import reference_data_register
from konnaxion.ekoh.reference_data import load


class EkohConfig(AppConfig):
    name = "konnaxion.ekoh"
    label = "ekoh"
    verbose_name = "EkoH"

    def ready(self) -> None:
        # Its data migration fills a new database; `reference_data_load` refills an emptied one.
        reference_data_register(app_label=self.label, loader=load)
