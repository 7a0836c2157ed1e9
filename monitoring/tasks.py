from celery import shared_task
from django.utils import timezone

from .calendar import advance


@shared_task(name="monitoring.advance_calendar")
def advance_calendar():
    """Daily: move stages, windows and reporting periods on by date (idempotent)."""
    return advance(timezone.localdate())
