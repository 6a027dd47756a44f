"""Budget pages. Included at the root: path("", include("pamong.budget.urls"))."""

from django.urls import path

from . import views

app_name = "budget"

urlpatterns = [
    path("anggaran/", views.budget, name="public"),
    path("apip/", views.apip_queue, name="apip"),
]
