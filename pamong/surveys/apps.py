from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "pamong.surveys"
    label = "surveys"
    verbose_name = "Surveys (IKM)"
