from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "pamong.budget"
    label = "budget"
    verbose_name = "Budget"
