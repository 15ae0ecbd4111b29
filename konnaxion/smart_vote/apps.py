from django.apps import AppConfig

from konnaxion.core.reference_data import reference_data_register
from konnaxion.smart_vote.reference_data import load


class SmartVoteConfig(AppConfig):
    name = "konnaxion.smart_vote"
    label = "smart_vote"
    verbose_name = "Smart Vote"

    def ready(self) -> None:
        # Its data migration fills a new database; `reference_data_load` refills an emptied one.
        reference_data_register(app_label=self.label, loader=load)
