from celery import shared_task
from django.utils import timezone

from .calendar import advance


@shared_task(name="monitoring.advance_calendar")
def advance_calendar():
    """Daily: move stages, windows and reporting periods on by date (idempotent)."""
    return advance(timezone.localdate())


@shared_task(name="monitoring.send_report_reminders")
def send_report_reminders():
    """Daily: remind heads of reports due soon or late; each reminder goes once per school, period and kind."""
    from .school_reports import send_reminders

    return send_reminders(timezone.localdate())
