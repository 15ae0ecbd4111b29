from django.apps import AppConfig


class TagsConfig(AppConfig):
    name = "konnaxion.tags"
    verbose_name = "Tags"
