"""Oversight pages. Include at the root: path("", include("pamong.oversight.urls"))."""

from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [
    path("pengawasan/", views.dashboard, name="dashboard"),
    path("pengawasan/pemutus/buka/", views.open_breaker, name="open-breaker"),
    path("pengawasan/pemutus/<int:breaker_id>/", views.breaker_detail, name="breaker"),
    path("pengawasan/keadilan/", views.fairness, name="fairness"),
    path("pengawasan/sandbox/", views.sandbox_list, name="sandbox"),
    path("pengawasan/sandbox/<int:draft_id>/", views.draft_detail, name="draft"),
    path("pengawasan/pekerjaan/<int:job_id>/", views.job_detail, name="job"),
    path("pengawasan/perbaikan/", views.rerun, name="rerun"),
    path("algoritma/", views.register_index, name="register"),
    path("algoritma/<slug:slug>/", views.register_detail, name="register-detail"),
]
