from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "pamong.assistant"
    label = "assistant"
    verbose_name = "Asisten"
