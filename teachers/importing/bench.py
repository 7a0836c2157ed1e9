"""Benchmark of the staff import: a generated 10,000-row file read, checked and saved (target ≤ 8 s).

Everything happens in a scratch school inside a transaction that is rolled
back at the end, so the benchmark leaves no data behind; the final COMMIT is
the only cost not measured. Rows:

* read + check — `analyse`: the workbook streamed, every row parsed and
  validated, people matched (what the preview page does);
* read + check + save — `apply_import`: the apply request's whole work
  (the file is re-checked before writing), 10,000 new people and positions
  with their history records;
* repeat import — the same file again: everything matches, nothing changes.
"""
import random
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from django.db import transaction
from openpyxl import Workbook

from teachers.snils import snils_control

ROWS = 10_000
TARGET_SECONDS = 8.0

LAST = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Васильев", "Соколов", "Михайлов", "Новиков",
        "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов"]
FIRST_M = ["Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Иван", "Михаил", "Николай", "Павел", "Юрий"]
FIRST_F = ["Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Мария", "Анна", "Юлия", "Галина"]
MIDDLE = ["Александров", "Сергеев", "Петров", "Иванов", "Николаев", "Викторов", "Михайлов", "Юрьев", "Андреев",
          "Владимиров"]
HEADERS = [
    "ФИО", "Дата рождения", "СНИЛС", "Пол", "Должность", "Вид занятости", "Предметы", "Образование", "Категория",
    "Дата присвоения категории", "Педстаж с", "Общий стаж с", "Нагрузка, ч/нед", "Ставка", "Дата приёма",
    "Дата увольнения", "Эл. почта", "Телефон",
]


def snils(number):
    digits = f"{number:09d}"
    control = snils_control(digits)
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]} {control:02d}"


def generate_file(path, rows=ROWS, seed=20251):
    """A valid staff list as people fill it: mixed text and real dates, abbreviations, 1–2 subjects per person."""
    rnd = random.Random(seed)
    # A normal (not write-only) workbook, like Excel's: the sheet's <dimension> comes first.
    wb = Workbook()
    ws = wb.active
    ws.title = "Педагоги"
    ws.append(HEADERS)
    positions = ["учитель"] * 8 + ["учитель начальных классов", "педагог-психолог", "педагог доп. образования"]
    subjects = ["Математика", "Русский язык", "Литература", "История", "Физика", "Химия", "Биология", "англ. яз.",
                "Информатика", "Физкультура", "Начальные классы", "География"]
    categories = ["высшая", "первая", "1 кат.", "СЗД", "без категории", "Высшая категория"]
    used = set()
    for i in range(rows):
        female = rnd.random() < 0.8
        while True:
            last = rnd.choice(LAST) + ("а" if female else "")
            first = rnd.choice(FIRST_F if female else FIRST_M)
            middle = rnd.choice(MIDDLE) + ("на" if female else "ич")
            birth = date(1958, 1, 1) + timedelta(days=rnd.randrange(0, 365 * 42))
            key = (last, first, middle, birth)
            if key not in used:
                used.add(key)
                break
        total_start = birth + timedelta(days=365 * rnd.randint(19, 24))
        ped_start = total_start + timedelta(days=rnd.randint(0, 700))
        hired = min(ped_start + timedelta(days=rnd.randint(0, 5000)), date(2024, 9, 1))
        category = rnd.choice(categories)
        category_date = None
        if category not in ("без категории",):
            category_date = min(hired + timedelta(days=rnd.randint(400, 3000)), date(2025, 3, 1))
        as_text = rnd.random() < 0.5  # half the dates typed as text, half real Excel dates
        fmt = (lambda d: d.strftime("%d.%m.%Y")) if as_text else (lambda d: datetime(d.year, d.month, d.day))
        ws.append([
            f"{last} {first} {middle}", fmt(birth), snils(100_000_000 + i * 37), "ж" if female else "м",
            rnd.choice(positions), "основной работник" if rnd.random() < 0.9 else "внешний совместитель",
            ", ".join(rnd.sample(subjects, rnd.randint(1, 2))),
            rnd.choice(["высшее педагогическое", "высшее пед.", "СПО педагогическое", "высшее непедагогическое"]),
            category, fmt(category_date) if category_date else None, fmt(ped_start), fmt(total_start),
            rnd.choice([18, 20, 24, "18,5", 9]), rnd.choice([1, 1, 1.25, "0,5"]), fmt(hired), None,
            f"teacher{i}@school.example.ru", f"+7 918 {i // 10000:03d}-{i % 10000 // 100:02d}-{i % 100:02d}",
        ])
    wb.save(path)
    return path


def run(ctx):
    from teachers.models import Cluster, Municipality, School, User

    from .service import analyse, apply_import

    with tempfile.TemporaryDirectory() as tmp:
        path = generate_file(Path(tmp) / "bench-import.xlsx")
        size_mb = path.stat().st_size / 1024 / 1024
        results = {}
        with transaction.atomic():
            municipality = ctx.district or Municipality.objects.create(name="Бенчмарк импорта")
            school = School.objects.create(
                short_name="Бенчмарк импорта", full_name="Школа для бенчмарка импорта", municipality=municipality,
                cluster=Cluster.objects.order_by("order").first(),
            )
            user = User.objects.filter(is_superuser=True).first()

            start = time.perf_counter()
            plan = analyse(path, school, path.name)
            results["check"] = time.perf_counter() - start
            assert plan.ok, [str(p) for p in plan.problems[:5]]

            small = generate_file(Path(tmp) / "bench-import-2k.xlsx", rows=PREVIEW_ROWS)
            start = time.perf_counter()
            analyse(small, school, small.name, user=user)
            results["preview"] = time.perf_counter() - start

            start = time.perf_counter()
            log = apply_import(path, school, user, path.name)
            results["save"] = time.perf_counter() - start
            assert log.teachers_created == ROWS and log.appointments_created == ROWS

            start = time.perf_counter()
            again = analyse(path, school, path.name)
            results["repeat"] = time.perf_counter() - start
            assert again.counts()["rows_unchanged"] == ROWS
            transaction.set_rollback(True)

    note = f"файл {size_mb:.1f} МБ; в откатываемой транзакции"
    scale = "region" if ctx.region_ready else "district"
    return [
        {"name": "импорт штата: проверка 2 000 строк (страница проверки)", "scale": scale,
         "seconds": results["preview"], "target": "≤ 2 s", "ok": results["preview"] <= 2},
        {"name": "импорт штата: чтение + проверка 10 000 строк", "scale": scale, "seconds": results["check"],
         "note": note},
        {"name": "импорт штата: чтение + проверка + запись 10 000 строк", "scale": scale,
         "seconds": results["save"], "target": f"≤ {TARGET_SECONDS:.0f} s", "ok": results["save"] <= TARGET_SECONDS,
         "note": "10 000 педагогов и должностей с историей изменений"},
        {"name": "импорт штата: повторная загрузка (всё без изменений)", "scale": scale,
         "seconds": results["repeat"], "note": "сопоставление по СНИЛС"},
    ]


# -- every other import kind, at region scale ------------------------------------------------------------------

KIND_ROWS = 10_000
PREVIEW_ROWS = 2_000
PREVIEW_TARGET_SECONDS = 2.0
PROGRAMMES = [f"Программа повышения квалификации № {n}" for n in range(1, 41)]


def _people(count):
    """`count` people of the base with a СНИЛС, as (ФИО, birth date, СНИЛС), spread over the region."""
    from teachers.models import Teacher

    rows = Teacher.objects.exclude(snils="").order_by("pk").values_list(
        "last_name", "first_name", "middle_name", "birth_date", "snils")[:count]
    return [(" ".join(p for p in (last, first, middle) if p), birth, snils) for last, first, middle, birth, snils in rows]


def _kind_rows(code, people, count):
    rnd = random.Random(code)
    headers = {
        "diagnostics": ["ФИО", "Дата рождения", "СНИЛС", "Балл", "Дефициты"],
        "courses": ["ФИО", "Дата рождения", "СНИЛС", "Программа", "Часов", "Организация", "Дата начала",
                    "Дата окончания", "Номер удостоверения", "Дата выдачи"],
        "participants": ["ФИО", "Дата рождения", "СНИЛС", "Роль", "Результат"],
        "memberships": ["ФИО", "Дата рождения", "СНИЛС", "Роль", "Дата включения"],
        "mentorships": ["ФИО наставника", "Дата рождения наставника", "СНИЛС наставника", "ФИО наставляемого",
                        "Дата рождения наставляемого", "СНИЛС наставляемого", "Уровень", "Дата начала"],
        "vacancies": ["Должность", "Предмет", "Нагрузка, ч/нед", "Дата открытия", "Жильё"],
    }[code]
    rows = []
    for i in range(count):
        fio, birth, snils = people[i % len(people)]
        person = [fio, birth.strftime("%d.%m.%Y") if i % 2 else datetime(birth.year, birth.month, birth.day), snils]
        if code == "diagnostics":
            rows.append(person + [rnd.randint(0, 50), rnd.choice(["методические, ИКТ", "предметные", "нет", ""])])
        elif code == "courses":
            end = date(2024, 1, 10) + timedelta(days=rnd.randrange(0, 400))
            rows.append(person + [rnd.choice(PROGRAMMES), rnd.choice([36, 72, 144]), "ИРО", end - timedelta(days=10),
                                  end, f"2312{i:08d}", end])
        elif code == "participants":
            rows.append(person + [rnd.choice(["участник", "призёр", "победитель", "лауреат"]), ""])
        elif code == "memberships":
            rows.append(person + [rnd.choice(["участник", "участник", "тьютор"]), "01.09.2025"])
        elif code == "mentorships":
            mentee = people[(i + 1) % len(people)]
            rows.append(person + [mentee[0], mentee[1], mentee[2], "школьный", "01.09.2025"])
        else:
            rows.append([rnd.choice(["учитель", "педагог-психолог", "учитель-логопед"]),
                         rnd.choice(["Математика", "Русский язык", None]), 18,
                         date(1999, 1, 1) + timedelta(days=i), rnd.choice(["да", "нет"])])
    return headers, rows


def _write(path, headers, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for values in rows:
        ws.append(values)
    wb.save(path)
    return path


def _target(code, ctx, municipality, school):
    from teachers.models import Association, AssociationKind, DiagnosticCampaign, Event, EventKind, EventLevel

    if code == "diagnostics":
        return DiagnosticCampaign.objects.create(title="Бенчмарк импорта", organizer="cnppm", municipality=municipality,
                                                 start_date=date(2025, 4, 1), end_date=date(2025, 4, 20), max_score=50)
    if code == "participants":
        return Event.objects.create(title="Бенчмарк импорта", kind=EventKind.objects.get(code="contest"),
                                    level=EventLevel.objects.get(code="regional"), municipality=municipality,
                                    start_date=date(2025, 3, 1), end_date=date(2025, 3, 1))
    if code == "memberships":
        return Association.objects.create(name="Бенчмарк импорта", municipality=municipality,
                                          kind=AssociationKind.objects.get(code="rmo"))
    if code == "courses":
        return municipality
    if code == "vacancies":
        return school
    return None


def run_kinds(ctx, codes=None):
    """Per kind: the preview of 2,000 rows and read + check + save of 10,000 rows (region-scale base)."""
    from teachers.models import Cluster, Municipality, School, User

    from .kinds import KINDS
    from .service import analyse_kind, apply_kind

    people = _people(KIND_ROWS + 1)
    if len(people) < 100:
        return []
    scale = "region" if ctx.region_ready else "district"
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in KINDS:
            if kind.staff or (codes and kind.code not in codes):
                continue
            headers, rows = _kind_rows(kind.code, people, KIND_ROWS)
            big = _write(Path(tmp) / f"{kind.code}-10k.xlsx", headers, rows)
            small = _write(Path(tmp) / f"{kind.code}-2k.xlsx", headers, rows[:PREVIEW_ROWS])
            with transaction.atomic():
                municipality = ctx.district or Municipality.objects.first()
                school = School.objects.create(
                    short_name="Бенчмарк импорта", full_name="Школа для бенчмарка импорта", municipality=municipality,
                    cluster=Cluster.objects.order_by("order").first())
                user = User.objects.filter(is_superuser=True).first()
                target = _target(kind.code, ctx, municipality, school)
                start = time.perf_counter()
                plan = analyse_kind(kind, small, target, small.name, user=user)
                preview = time.perf_counter() - start
                assert plan.ok, [str(p) for p in plan.problems[:5]]
                start = time.perf_counter()
                log = apply_kind(kind, big, target, user, big.name)
                save = time.perf_counter() - start
                written = log.records_created + log.records_updated
                transaction.set_rollback(True)
            results += [
                {"name": f"импорт «{kind.title}»: проверка {PREVIEW_ROWS:,} строк (страница проверки)".replace(",", " "),
                 "scale": scale, "seconds": preview, "target": f"≤ {PREVIEW_TARGET_SECONDS:.0f} s",
                 "ok": preview <= PREVIEW_TARGET_SECONDS,
                 "note": "от имени администратора"},
                {"name": f"импорт «{kind.title}»: чтение + проверка + запись {KIND_ROWS:,} строк".replace(",", " "),
                 "scale": scale, "seconds": save, "target": f"≤ {TARGET_SECONDS:.0f} s", "ok": save <= TARGET_SECONDS,
                 "note": f"записано {written:,} с историей изменений".replace(",", " ")},
            ]
    return results
