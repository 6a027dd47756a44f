"""Public performance pages. Included at the root: path("", include("pamong.transparency.urls"))."""

from django.urls import path

from . import views

app_name = "transparency"

urlpatterns = [
    path("kinerja/", views.index, name="index"),
    path("kinerja/layanan/<slug:slug>/", views.service_page, name="service"),
    path("kinerja/layanan/<slug:slug>/data.csv", views.service_csv, name="service-csv"),
    path("kinerja/layanan/<slug:slug>/data.json", views.service_json, name="service-json"),
    path("kinerja/instansi/<slug:agency_slug>/", views.agency_page, name="agency"),
    path("kinerja/instansi/<slug:agency_slug>/data.csv", views.agency_csv, name="agency-csv"),
    path("kinerja/instansi/<slug:agency_slug>/data.json", views.agency_json, name="agency-json"),
]
