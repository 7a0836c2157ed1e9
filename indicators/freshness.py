"""Keeping cached indicator values honest: a data version bumped by every change the engine could see.

`compute()` caches its results under the current version (settings.ENGINE_CACHE_SECONDS, 0 = off); any
save, delete or many-to-many change of the staff domain or the catalogue bumps the version, so the next
computation reads the database again. Bulk writes that bypass signals call `bump()` themselves.
"""
from django.apps import apps
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

# Models whose rows never feed an indicator.
IGNORED = {"User", "ExportLog", "AccessLog", "ImportLog", "DataVersion", "RatingCriterion"}


def current():
    from .models import DataVersion

    row = DataVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return row if row is not None else -1


def bump(**kwargs):
    from .models import DataVersion

    if not DataVersion.objects.filter(pk=1).update(version=F("version") + 1):
        DataVersion.objects.get_or_create(pk=1)


def _watched():
    for label in ("teachers", "indicators"):
        for model in apps.get_app_config(label).get_models():
            if model.__name__ in IGNORED or model.__name__.startswith("Historical"):
                continue
            yield model


def connect():
    from teachers.demo import demo_purging, demo_seeded
    from teachers.signals import bulk_changed

    for signal in (bulk_changed, demo_seeded, demo_purging):
        signal.connect(bump, dispatch_uid=f"freshness-{id(signal)}", weak=False)
    for model in _watched():
        uid = f"freshness-{model._meta.label}"
        post_save.connect(bump, sender=model, dispatch_uid=f"{uid}-save", weak=False)
        post_delete.connect(bump, sender=model, dispatch_uid=f"{uid}-delete", weak=False)
        for m2m in model._meta.local_many_to_many:
            m2m_changed.connect(bump, sender=m2m.remote_field.through, dispatch_uid=f"{uid}-{m2m.name}",
                                weak=False)
