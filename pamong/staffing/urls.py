"""Staffing pages. Include at the root: path("", include("pamong.staffing.urls"))."""

from django.urls import path

from . import views

app_name = "staffing"

urlpatterns = [
    path("staf/", views.my_work, name="mine"),
    path("staf/jadwal/", views.rota_list, name="rotas"),
    path("staf/jadwal/<int:rota_id>/", views.rota_detail, name="rota"),
    path("staf/dasbor/", views.dashboard, name="dashboard"),
    path("staf/terima/<str:token>/", views.acknowledge, name="acknowledge"),
]
