from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "ascnhub.knowledge"
    label = "knowledge"
