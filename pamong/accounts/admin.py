from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class PamongUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Pamong", {"fields": ("agency",)}))
    list_display = ("username", "first_name", "last_name", "agency", "is_staff")
    list_filter = ("agency", "groups", "is_staff")


def _platform_operators_only(request) -> bool:
    """Django's admin sees every agency's data, so only platform operators (superusers) may open it; agency
    staff (is_staff) work in Pamong's own pages, which are scoped to their agency."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _platform_operators_only
