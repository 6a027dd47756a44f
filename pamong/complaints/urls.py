"""Complaint pages. Included at the root: path("", include("pamong.complaints.urls"))."""

from django.urls import path

from . import open311, views

app_name = "complaints"

urlpatterns = [
    path("pengaduan/", views.public_list, name="public"),
    path("pengaduan/baru/", views.new_complaint, name="new"),
    path("pengaduan/saya/", views.my_complaints, name="mine"),
    path("loket/pengaduan/", views.counter_complaint, name="counter"),
    path("pengaduan/l/<str:reference>/", views.complaint_detail, name="detail"),
    path("pengaduan/l/<str:reference>/tanggapi/", views.respond, name="respond"),
    path("pengaduan/l/<str:reference>/ikuti/", views.follow, name="follow"),
    path("pengaduan/l/<str:reference>/foto/<int:photo_id>/", views.reporter_photo, name="photo"),
    path("pengaduan/l/<str:reference>/dokumen/<int:document_id>/", views.reporter_document, name="document"),
    path("pengaduan/masuk/", views.inbox, name="inbox"),
    path("pengaduan/masuk/<int:complaint_id>/foto/<int:photo_id>/", views.staff_photo, name="staff-photo"),
    path(
        "pengaduan/masuk/<int:complaint_id>/dokumen/<int:document_id>/",
        views.staff_document,
        name="staff-document",
    ),
    path("pengaduan/masuk/<int:complaint_id>/", views.staff_detail, name="staff-detail"),
    path("pengaduan/masuk/<int:complaint_id>/verifikasi/", views.verify, name="verify"),
    path("pengaduan/masuk/<int:complaint_id>/disposisi/", views.forward, name="forward"),
    path("pengaduan/masuk/<int:complaint_id>/proses/", views.start, name="start"),
    path("pengaduan/masuk/<int:complaint_id>/jawab/", views.answer, name="answer"),
    path("pengaduan/masuk/<int:complaint_id>/gabung/", views.merge, name="merge"),
    path("open311/v2/discovery.json", open311.discovery, name="open311-discovery"),
    path("open311/v2/services.json", open311.service_list, name="open311-services"),
    path("open311/v2/services/<str:service_code>.json", open311.service_definition, name="open311-service"),
    path("open311/v2/requests.json", open311.requests, name="open311-requests"),
    path("open311/v2/requests/<str:service_request_id>.json", open311.request_detail, name="open311-request"),
    path("open311/v2/tokens/<str:open311_token>.json", open311.token_detail, name="open311-token"),
]
