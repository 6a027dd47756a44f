"""The agency administrator's pages for webhook subscribers."""

from django.urls import path

from . import views

app_name = "clients"

urlpatterns = [
    path("instansi/webhook/", views.webhook_list, name="webhooks"),
    path("instansi/webhook/<int:webhook_id>/", views.webhook_detail, name="webhook-detail"),
    path("instansi/webhook/<int:webhook_id>/nonaktifkan/", views.webhook_disable, name="webhook-disable"),
]
