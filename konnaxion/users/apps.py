from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "konnaxion.users"
    label = "users"
    verbose_name = "Users"
