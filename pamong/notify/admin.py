from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("template", "recipient", "channel", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "channel", "template")
    readonly_fields = [field.name for field in Notification._meta.fields]
