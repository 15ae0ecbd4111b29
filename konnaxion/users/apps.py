from django.apps import AppConfig

from konnaxion.core.visibility import visibility_register


class UsersConfig(AppConfig):
    name = "konnaxion.users"
    label = "users"
    verbose_name = "Users"

    def ready(self) -> None:
        # Imported here: it loads models, which the app registry allows only once ready.
        from konnaxion.users.selectors import exports_of

        # An export is seen by its owner alone (the notification saying it is ready).
        visibility_register(model_label="users.accountexport", selector=exports_of)
