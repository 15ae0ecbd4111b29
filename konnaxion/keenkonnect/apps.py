from django.apps import AppConfig

from konnaxion.core.search import search_provider_register, search_vocabulary_register
from konnaxion.core.visibility import visibility_register


class KeenkonnectConfig(AppConfig):
    name = "konnaxion.keenkonnect"
    label = "keenkonnect"
    verbose_name = "keenKonnect"

    def ready(self) -> None:
        # Imported here: these load models, which the app registry allows only once ready.
        from konnaxion.keenkonnect.search import CommentSearch, DocumentSearch, ProjectSearch
        from konnaxion.keenkonnect.selectors import (
            projects_visible_to,
            resources_visible_to,
            search_words_closest,
        )
        from konnaxion.notifications.services.watching import watchable_register

        # Other modules (Smart Vote targets, search) see projects as their team rules say.
        visibility_register(model_label="keenkonnect.project", selector=projects_visible_to)
        # Notifications about a document reach only those who may read it (read level).
        visibility_register(
            model_label="keenkonnect.projectresource", selector=resources_visible_to
        )
        # People watch a document, or a project and all its documents.
        watchable_register(name="document", model_label="keenkonnect.projectresource")
        watchable_register(name="project", model_label="keenkonnect.project")
        # Documents are a kind of result of the platform search.
        search_provider_register(DocumentSearch())
        # Comments too, where their document may be read.
        search_provider_register(CommentSearch())
        # And projects, by their title, description and tags.
        search_provider_register(ProjectSearch())
        # Misspelt words are corrected from the words of documents.
        search_vocabulary_register(search_words_closest)
        # Their part when someone leaves: no project left without an owner, what goes, and the
        # documents of their data export.
        from konnaxion.keenkonnect.services.leaving import (
            account_keenkonnect_delete,
            account_keenkonnect_export,
            account_projects_blockers,
        )
        from konnaxion.users.leaving import (
            account_deletion_blocker_register,
            account_deletion_handler_register,
            account_export_part_register,
        )

        account_deletion_blocker_register(name="keenkonnect", check=account_projects_blockers)
        account_deletion_handler_register(name="keenkonnect", handler=account_keenkonnect_delete)
        account_export_part_register(name="keenkonnect", part=account_keenkonnect_export)
        # Projects that require two factors: the open project sockets of a member who enrols or
        # removes one re-check at once (the rule itself is `selectors.membership_counts`).
        from allauth.mfa.signals import authenticator_added, authenticator_removed

        authenticator_added.connect(_second_factor_changed, dispatch_uid="keenkonnect-2fa-added")
        authenticator_removed.connect(
            _second_factor_changed, dispatch_uid="keenkonnect-2fa-removed"
        )


def _second_factor_changed(sender: object, user: object, **kwargs: object) -> None:
    from konnaxion.keenkonnect.services.projects import member_second_factor_changed

    member_second_factor_changed(user=user)  # type: ignore[arg-type]
