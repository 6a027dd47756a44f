"""Survey pages. Included at the root: path("", include("pamong.surveys.urls"))."""

from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("permohonan/<str:application_id>/survei/", views.respond, name="respond"),
    path("survei/kiosk/", views.kiosk, name="kiosk"),
    path("survei/laporan/", views.report, name="report"),
    path("survei/laporan/pdf/", views.report_pdf, name="report-pdf"),
    path("survei/tindak-lanjut/", views.followup_create, name="followup-create"),
    path(
        "survei/tindak-lanjut/<int:followup_id>/terbitkan/", views.followup_publish, name="followup-publish"
    ),
]
