from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("title", "fmt", "owner", "status", "progress", "attempts", "created_at", "finished_at")
    list_filter = ("status", "kind", "fmt")
    search_fields = ("title", "owner__username")
    readonly_fields = [f.name for f in Job._meta.fields]
