"""The assistant's pages. Include at the root: path("", include("pamong.assistant.urls"))."""

from django.urls import path

from . import views

app_name = "assistant"

urlpatterns = [
    path("tanya/", views.ask_page, name="ask"),
    path("tanya/loket/", views.counter_ask, name="counter"),
    path("instansi/tanya/", views.handover_list, name="handovers"),
    path("instansi/tanya/<int:handover_id>/selesai/", views.handover_close, name="handover-close"),
]
