import os

from celery import Celery
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mskoko.settings")

app = Celery("mskoko")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@beat_init.connect
def catch_up_on_start(sender, **kwargs):
    """Interval entries first run one interval after beat starts; the calendar and the reminders (both
    idempotent) are brought up to date at once, so an embedded `make run` that lives an hour still gets them."""
    for name in ("monitoring.advance_calendar", "monitoring.send_report_reminders"):
        sender.app.send_task(name)
