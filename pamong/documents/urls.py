from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("permohonan/<str:application_id>/surat/", views.application_letter, name="application-letter"),
    path("permohonan/<str:application_id>/produk/", views.application_product, name="application-product"),
    path("petugas/permohonan/<str:application_id>/produk/", views.issue_product, name="issue-product"),
    path("v/<str:verification_code>", views.verify, name="verify"),
    path("petugas/surat/batch/", views.batches, name="batches"),
    path("akun/dokumen/", views.vault_page, name="vault"),
    path("dokumen/<str:document_id>/berkas/", views.vault_file, name="vault-file"),
]
