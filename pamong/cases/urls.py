"""Pages of the application lifecycle, with Indonesian paths (the portal's language)."""

from django.urls import path

from . import counter_views, hearing_views, views

app_name = "cases"

urlpatterns = [
    path("layanan/<slug:slug>/ajukan/", views.apply, name="apply"),
    path("permohonan/", views.my_applications, name="my-applications"),
    path("permohonan/<str:application_id>/", views.application_detail, name="application"),
    path("permohonan/<str:application_id>/informasi/", views.answer_information, name="answer-information"),
    path("permohonan/<str:application_id>/keberatan/", views.file_objection, name="objection"),
    path("permohonan/<str:application_id>/banding/", views.file_appeal, name="appeal"),
    path("permohonan/<str:application_id>/tarik/", views.withdraw, name="withdraw"),
    path(
        "permohonan/<str:application_id>/tanggapan/", hearing_views.respond_to_notice, name="respond-notice"
    ),
    path("permohonan/<str:application_id>/data-salah/", hearing_views.dispute_fact, name="dispute-fact"),
    path("petugas/antrean/", views.staff_queue, name="queue"),
    path("petugas/permohonan/<str:application_id>/tandai-aturan/", hearing_views.flag_rule, name="flag-rule"),
    path(
        "petugas/permohonan/<str:application_id>/perbaikan-data/<int:correction_id>/",
        hearing_views.resolve_correction,
        name="resolve-correction",
    ),
    path("petugas/diskresi/", hearing_views.discretion_register, name="discretion-register"),
    path(
        "petugas/diskresi/<int:discretion_id>/tinjau/",
        hearing_views.review_discretion,
        name="review-discretion",
    ),
    path("petugas/permohonan/<str:application_id>/", views.case_detail, name="case"),
    path("petugas/permohonan/<str:application_id>/klaim/", views.claim, name="claim"),
    path("petugas/permohonan/<str:application_id>/putuskan/", views.decide, name="decide"),
    path("petugas/permohonan/<str:application_id>/pindahkan/", views.move, name="move"),
    path(
        "petugas/permohonan/<str:application_id>/minta-informasi/",
        views.request_information,
        name="request-information",
    ),
    path("petugas/keberatan/<int:objection_id>/putuskan/", views.decide_objection, name="decide-objection"),
    path("loket/", views.counter_services, name="counter"),
    path("loket/warga/", views.counter_citizen, name="counter-citizen"),
    path("loket/ajukan/<slug:slug>/", views.counter_apply, name="counter-apply"),
    path("loket/cari/", counter_views.counter_find, name="counter-find"),
    path("loket/cari/ajukan/", counter_views.counter_act, name="counter-act"),
    path("loket/surat/", counter_views.letter_queue, name="letters"),
    path("loket/surat/<int:task_id>/", counter_views.letter_print, name="letter"),
    path("loket/surat/<int:task_id>/selesai/", counter_views.letter_handled, name="letter-handled"),
    path("loket/surat/<int:task_id>/pdf/", counter_views.letter_task_pdf, name="letter-pdf"),
    path("loket/cari/surat/", counter_views.counter_letter_pdf, name="counter-letter-pdf"),
    path("loket/cari/dokumen/", counter_views.counter_documents, name="counter-documents"),
    path("loket/permohonan/<str:application_id>/", views.counter_receipt, name="counter-receipt"),
    path(
        "loket/permohonan/<str:application_id>/kode-aktivasi/",
        views.counter_activation_code,
        name="counter-activation-code",
    ),
]
