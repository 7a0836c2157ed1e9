from datetime import date

from django.core.management import BaseCommand
from django.utils import timezone

from monitoring.calendar import advance


class Command(BaseCommand):
    help = "Переводит этапы, окна мониторинга и отчётные периоды в состояние по текущей дате (идемпотентно)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat, help="Дата (ГГГГ-ММ-ДД), по умолчанию сегодня.")

    def handle(self, *args, **opts):
        on = opts["date"] or timezone.localdate()
        changed = advance(on)
        self.stdout.write(f"{on:%d.%m.%Y}: изменено состояний — {changed}.")
