from django.apps import AppConfig

from konnaxion.core.search import search_provider_register
from konnaxion.core.visibility import visibility_register


class KreativeConfig(AppConfig):
    name = "konnaxion.kreative"
    label = "kreative"
    verbose_name = "Kreative"

    def ready(self) -> None:
        # Imported here: these load models, which the app registry allows only once ready.
        from konnaxion.kreative.search import OpportunitySearch, ProfileSearch
        from konnaxion.kreative.selectors import (
            opportunities_visible_to,
            people_visible_to,
            workspaces_of,
        )

        # Other modules (EkoH scores, Smart Vote's emerging experts) name a person only where
        # Kontact would show them: hidden profiles, blocks and closed accounts stay unnamed.
        visibility_register(model_label="users.user", selector=people_visible_to)
        # A room is seen by its host and invited people (notifications of invitations).
        visibility_register(model_label="kreative.collabsession", selector=workspaces_of)
        # An opportunity is seen by whoever the poster exists for (saved-search alerts and
        # closing-soon reminders).
        visibility_register(model_label="kreative.opportunity", selector=opportunities_visible_to)
        # Applications and jury seats: their applicant, the poster and the jurors, as
        # application_selectors says (notifications of each step and of invitations).
        from konnaxion.kreative.application_selectors import (
            applications_visible_to,
            jurors_visible_to,
        )

        visibility_register(
            model_label="kreative.opportunityapplication", selector=applications_visible_to
        )
        visibility_register(model_label="kreative.opportunityjuror", selector=jurors_visible_to)
        # Profiles and opportunities are kinds of results of the platform search.
        search_provider_register(ProfileSearch())
        search_provider_register(OpportunitySearch())
        # Their part when someone leaves: what goes, and what their data export holds.
        from konnaxion.kreative.services.leaving import (
            account_kreative_delete,
            account_kreative_export,
        )
        from konnaxion.users.leaving import (
            account_deletion_handler_register,
            account_export_part_register,
        )

        account_deletion_handler_register(name="kreative", handler=account_kreative_delete)
        account_export_part_register(name="kreative", part=account_kreative_export)
