from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from pamong.api import api
from pamong.audit import views as audit_views
from pamong.catalog import views as catalog_views
from pamong.clients import views as clients_views
from pamong.oversight import audit_views as auditor_views
from pamong.site import views as site_views

urlpatterns = [
    path("", site_views.home, name="home"),
    path(".well-known/pamong-audit-key.json", audit_views.well_known_key, name="audit-key"),
    path("layanan/", catalog_views.service_list, name="service-list"),
    path("layanan/<slug:slug>/", catalog_views.service_detail, name="service-detail"),
    path("bantuan/", TemplateView.as_view(template_name="core/help.html"), name="help"),
    path("privasi/", TemplateView.as_view(template_name="core/privacy.html"), name="privacy"),
    path("kontak/", catalog_views.contact, name="contact"),
    path("", include("pamong.accounts.urls")),
    path("", include("pamong.cases.urls")),
    path("", include("pamong.oversight.urls")),
    path("", include("pamong.budget.urls")),
    path("audit/", auditor_views.audit_log, name="audit-log"),
    path("", include("pamong.clients.urls")),
    path("", include("pamong.assistant.urls")),
    path("", include("pamong.surveys.urls")),
    path("", include("pamong.transparency.urls")),
    path("", include("pamong.staffing.urls")),
    path("", include("pamong.complaints.urls")),
    path("", include("pamong.documents.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("oauth/token/", clients_views.ClientTokenView.as_view(), name="oauth-token"),
    path("admin/", admin.site.urls),
]

if settings.PAMONG_OIDC_ENABLED:  # sign-in with a national identity provider (pamong.accounts.oidc)
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

handler403 = "pamong.core.views.forbidden"
handler404 = "pamong.core.views.not_found"
handler500 = "pamong.core.views.server_error"
