"""`manage.py seed_demo`: demo data — seed 000's district, or the region scale for benchmarks."""
import time

from django.core.management import BaseCommand, CommandError

from teachers import demo


class Command(BaseCommand):
    help = (
        "Создаёт демонстрационные данные: район из seed 000 (Усть-Лабинский район, 27 ОО, ~800 педагогов, "
        "2023–2026 годы) или, с --scale region, ещё ~43 муниципалитета (~1 500 ОО, ~60 000 педагогов) для "
        "бенчмарков. Одинаковый --seed даёт одинаковые данные."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=0, help="Начальное значение генератора (по умолчанию 0).")
        parser.add_argument("--scale", choices=["district", "region"], default="district",
                            help="district — демо-район (по умолчанию); region — региональный масштаб.")
        parser.add_argument("--reset", action="store_true",
                            help="Сначала удалить ранее созданные данные этого масштаба (справочники и "
                                 "пользователи, созданные не этой командой, сохраняются).")
        parser.add_argument("--municipalities", type=int, default=None,
                            help="Только для --scale region: сколько муниципалитетов создать (по умолчанию все).")
        parser.add_argument("--schools", type=int, default=None,
                            help="Только для --scale region: ОО в каждом муниципалитете (по умолчанию — реальные "
                                 "оценки).")

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            if options["scale"] == "district":
                municipalities = [self._district(options)]
            else:
                municipalities = self._region(options)
        except demo.DemoDataError as exc:
            raise CommandError(str(exc)) from None
        seconds = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Готово за {seconds:.1f} с."))
        for label, value in demo.summary(municipalities):
            self.stdout.write(f"  {label}: {value}")
        if options["scale"] == "district":
            skipped = getattr(municipalities[0], "skipped_users", [])
            if skipped:
                self.stdout.write(self.style.WARNING(
                    "Пользователи с логинами " + ", ".join(skipped) + " уже существуют и не являются "
                    "демонстрационными — оставлены без изменений."))
            for line in demo.format_logins():
                self.stdout.write(line)

    def _district(self, options):
        if options["reset"]:
            started = time.perf_counter()
            removed = demo.purge_district()
            if removed:
                self.stdout.write(f"Удалены прежние демонстрационные данные района ({removed} ОО) за "
                                  f"{time.perf_counter() - started:.1f} с.")
        demo.ensure_district_absent()
        self.stdout.write(f"Создаю демонстрационный район (seed {options['seed']})…")
        return demo.seed_district(seed=options["seed"])

    def _region(self, options):
        if options["reset"]:
            started = time.perf_counter()
            removed = demo.purge_region()
            if removed:
                self.stdout.write(f"Удалены прежние данные регионального масштаба ({removed} ОО) за "
                                  f"{time.perf_counter() - started:.1f} с.")
        demo.ensure_region_absent()
        self.stdout.write(f"Создаю данные регионального масштаба (seed {options['seed']})…")

        def progress(index, total, municipality, seconds):
            if options["verbosity"] >= 1:
                self.stdout.write(f"  [{index}/{total}] {municipality.name}: {seconds:.1f} с")

        return demo.seed_region(seed=options["seed"], municipalities=options["municipalities"],
                                schools_per_municipality=options["schools"], progress=progress)
