from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "ascnhub.followup"
    label = "followup"
