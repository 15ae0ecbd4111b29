from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "konnaxion.files"
    verbose_name = "Files"
