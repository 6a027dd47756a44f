"""Staffing pages. Include at the root: path("", include("pamong.staffing.urls"))."""

from django.urls import path

from . import views

app_name = "staffing"

urlpatterns = [
    path("staf/terima/<str:token>/", views.acknowledge, name="acknowledge"),
]
