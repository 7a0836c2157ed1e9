"""`manage.py bootstrap` (run by `make run` after migrate): reference data, the demo district on an empty
database, and the demo logins."""
from django.core.management import BaseCommand

from teachers import demo
from teachers.models import School


class Command(BaseCommand):
    help = (
        "Загружает недостающие справочники (fixtures/reference.json, по коду), на пустой базе создаёт "
        "демонстрационный район и печатает демонстрационные логины. Повторный запуск ничего не меняет."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Ничего не печатать.")

    def handle(self, *args, **options):
        quiet = options["quiet"]
        added = demo.load_reference()
        if added and not quiet:
            self.stdout.write(f"Справочники: добавлено записей — {added}.")
        if not School.objects.exists():
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
