from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class PamongUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Pamong", {"fields": ("agency",)}))
    list_display = ("username", "first_name", "last_name", "agency", "is_staff")
    list_filter = ("agency", "groups", "is_staff")
