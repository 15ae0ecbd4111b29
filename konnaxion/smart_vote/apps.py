from django.apps import AppConfig


class SmartVoteConfig(AppConfig):
    name = "konnaxion.smart_vote"
    label = "smart_vote"
    verbose_name = "Smart Vote"
