from django.contrib import admin

from .documents.registry import REGISTRY, title_of
from .models import Job, Signatories


class KindFilter(admin.SimpleListFilter):
    """Filter by document, named as the registry names it (the kind is a plain string, not a choice)."""

    title = "документ"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(doc.kind, doc.title) for doc in REGISTRY.values()]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Jobs are ordered on the documents page and moved on by their task (reports.tasks): the admin only looks,
    and deletes finished jobs with their files (a queued or running job belongs to its task)."""

    list_display = ("title", "document", "fmt", "owner", "status", "progress", "attempts", "created_at",
                    "finished_at")
    list_filter = ("status", KindFilter, "fmt")
    search_fields = ("title", "owner__username")
    readonly_fields = [f.name for f in Job._meta.fields]

    @admin.display(description="документ", ordering="kind")
    def document(self, obj):
        return title_of(obj.kind)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_finished)

    def delete_model(self, request, obj):
        if obj.file:
            obj.file.delete(save=False)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        queryset = queryset.filter(status__in=(Job.Status.DONE, Job.Status.FAILED))
        for job in queryset.exclude(file=""):
            job.file.delete(save=False)
        super().delete_queryset(request, queryset)


@admin.register(Signatories)
class SignatoriesAdmin(admin.ModelAdmin):
    """Who signs, prepared and approves a municipality's orders and letters; the documents page fills it in."""

    list_display = ("municipality", "signer_title", "signer_name", "executor_name", "updated_at")
    search_fields = ("municipality__name", "signer_name", "executor_name")
