"""Signals of the staff domain for the apps built on it (teachers imports nothing from them)."""
from django.dispatch import Signal

# Sent after writes that bypass model signals (bulk_create / update): the staff import, derived flags.
# Apps that cache anything computed from the staff domain (indicators) listen. kwargs: none.
bulk_changed = Signal()
