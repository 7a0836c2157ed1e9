"""`manage.py bootstrap` (run by `make run` after migrate): reference data added since the migrations, the demo
district on the embedded default's empty database (or with --demo), and the demo logins.

Production never needs it: reference data arrive with `migrate`, and the first administrator is made with
`createsuperuser` (README, «Развёртывание»)."""
from django.conf import settings
from django.core.management import BaseCommand

from teachers import demo
from teachers.models import School


class Command(BaseCommand):
    help = (
        "Загружает недостающие справочники (fixtures/reference.json, по коду); на пустой встроенной базе "
        "(без DATABASE_URL) или с --demo создаёт демонстрационный район и печатает демонстрационные логины. "
        "Повторный запуск ничего не меняет."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Ничего не печатать.")
        parser.add_argument("--demo", action="store_true",
                            help="Создать демонстрационный район и на базе PostgreSQL, если в базе нет ОО "
                                 "(пароли демо-пользователей известны всем: не для сервера в сети).")

    def handle(self, *args, **options):
        quiet = options["quiet"]
        added = demo.load_reference()
        if added and not quiet:
            self.stdout.write(f"Справочники: добавлено записей — {added}.")
        wants_demo = options["demo"] or settings.EMBEDDED_DEFAULT
        if not School.objects.exists():
            if not wants_demo:
                if not quiet:
                    self.stdout.write("Демонстрационный район не создаётся: база задана переменной DATABASE_URL. "
                                      "Создать его: manage.py bootstrap --demo (или seed_demo).")
                return
            if not quiet:
                self.stdout.write("База пуста: создаю демонстрационный район «Усть-Лабинский район»…")
            municipality = demo.seed_district()
            if not quiet:
                counts = dict(demo.summary([municipality]))
                self.stdout.write(f"  ОО: {counts['ОО']}; педагогов: {counts['педагогов (все записи)']}.")
        if quiet:
            return
        lines = demo.format_logins()
        if lines:
            self.stdout.write("")
            for line in lines:
                self.stdout.write(line)
        else:
            self.stdout.write("Демонстрационные пользователи не созданы (в базе есть свои данные).")
