"""Each document's content read back from the file (PDF text, XLSX cells) against the engine and the records."""
import io
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from indicators.engine import Period, compute
from indicators.models import Target
from monitoring.models import Recommendation
from reports.documents.base import JobError
from reports.documents.registry import REGISTRY, check
from teachers import models as m

from .factories import CampaignFactory, make_teacher

YEAR = 2025


def pdf_text(content):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed; .ci/run installs it")
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def build(user, kind, fmt, **params):
    doc = check(user, kind, {"municipality": user_municipality(user), **params})
    return doc.build(user, {"municipality": user_municipality(user), **params}, fmt, lambda p: None)[1]


def user_municipality(user):
    return user.municipality_id or user.school.municipality_id


@pytest.fixture
def district(municipality, school_a, school_b):
    """School A (gymnasium): 4 teachers, 3 diagnosed; school B (МКШ): 4 teachers, 1 diagnosed. D1 target 60 %."""
    campaign = CampaignFactory(municipality=municipality, start_date=date(YEAR, 4, 1), end_date=date(YEAR, 4, 20))
    staff = {}
    for school, diagnosed in ((school_a, 3), (school_b, 1)):
        staff[school.pk] = []
        for i in range(4):
            t = make_teacher(school, hired=date(2015, 9, 1), last_name=f"{school.short_name[-1]}Педагог{i}")
            staff[school.pk].append(t)
            if i < diagnosed:
                m.DiagnosticResult.objects.create(campaign=campaign, teacher=t)
    Target.objects.create(indicator_code="D1", municipality=municipality, year=YEAR, value=60)
    young = make_teacher(school_a, last_name="Молодова", hired=date(2025, 9, 1),
                         ped_experience_start=date(2025, 9, 1))
    m.Mentorship.objects.create(mentor=staff[school_a.pk][0], mentee=young, level="school", start=date(2025, 9, 1))
    make_teacher(school_b, last_name="Юнцова", hired=date(2025, 9, 1), ped_experience_start=date(2025, 9, 1))
    position = m.Position.objects.first()
    m.Vacancy.objects.create(school=school_a, position=position, opened=date(2025, 3, 1), weekly_hours=18)
    m.Vacancy.objects.create(school=school_b, position=position, opened=date(2025, 5, 1), housing=True)
    m.Vacancy.objects.create(school=school_b, position=position, opened=date(2024, 5, 1), closed=date(2024, 9, 1))
    Recommendation.objects.create(municipality=municipality, year=YEAR, text="Провести диагностику в СОШ №2",
                                  due=date(YEAR, 12, 1))
    return staff


def test_briefing_pdf_and_xlsx_carry_the_engine_values(methodologist, district):
    text = pdf_text(build(methodologist, "briefing", "pdf", year=YEAR))
    assert "Аналитическая справка" in text and f"за {YEAR} год" in text
    # D1 pooled: 4 of 10 main staff (two young teachers too) = 40,0 %, target 60 % not reached; school B short
    # (1 of 5 = 20 %), school A on target (3 of 5 = 60 %).
    assert "40,0 %" in text and "4 из 10" in text and "не достигнуто" in text
    assert "Не достигли целевого значения 1 ОО: СОШ №2" in text
    assert "СОШ №2" in text and "Провести диагностику в СОШ №2" in text
    assert "стр. 1 из" in text
    wb = load_workbook(io.BytesIO(build(methodologist, "briefing", "xlsx", year=YEAR)))
    assert wb.sheetnames[0] == "Сводка"
    ws = wb["Район и кластеры"]
    header = [c.value for c in ws[1]]
    d1 = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[1] == "D1")
    row = dict(zip(header, d1))
    assert row[str(YEAR)] == pytest.approx(0.4) and row["Цель"] == pytest.approx(0.6)
    assert (row["Числитель"], row["Знаменатель"], row["Достигнута"]) == (4, 10, "нет")
    assert ws.cell(row=2 + [r[1] for r in ws.iter_rows(min_row=2, values_only=True)].index("D1"),
                   column=5).number_format == "0.0%"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    schools = wb["ОО"]
    values = {r[0]: r for r in schools.iter_rows(min_row=2, values_only=True)}
    d1_col = [c.value for c in schools[1]].index("D1, %")
    engine = compute(Period.calendar_year(YEAR), schools=[s for s in district])
    for school_id in district:
        school = m.School.objects.get(pk=school_id)
        cell = engine.get("D1", "school", school_id)
        assert values[school.short_name][d1_col] == pytest.approx(float(cell.value) / 100)


def test_order_has_the_requisites_and_items(methodologist, municipality, district):
    municipality.office_name = "Управление образованием администрации МО Тестовый район"
    municipality.place = "г. Тестовск"
    municipality.office_head = "И. И. Иванова"
    municipality.save()
    text = pdf_text(build(methodologist, "order", "pdf", year=YEAR, number="123-од", date="2026-02-10"))
    for expected in ("УПРАВЛЕНИЕ ОБРАЗОВАНИЕМ АДМИНИСТРАЦИИ МО ТЕСТОВЫЙ РАЙОН", "ПРИКАЗ", "10.02.2026", "№ 123-од",
                     "г. Тестовск", "Об итогах мониторинга", "ПРИКАЗЫВАЮ:", "1. Утвердить аналитическую справку",
                     "Признать не достигнутыми целевые значения показателей: D1", "И. И. Иванова",
                     "Приложение 2", "Контроль за исполнением настоящего приказа оставляю за собой"):
        assert expected in text, expected
    wb = load_workbook(io.BytesIO(build(methodologist, "order", "xlsx", year=YEAR, number="123-од")))
    assert wb["Сводка"]["B5"].value == "123-од"


def test_rating_document_matches_the_rating(methodologist, district):
    from indicators.rating import rating

    expected = rating(Period.calendar_year(YEAR), list(district))
    wb = load_workbook(io.BytesIO(build(methodologist, "rating", "xlsx", year=YEAR)))
    rows = list(wb["Рейтинг ОО"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[5]) for r in rows] == [
        (row.place, row.name, float(row.score) if row.score is not None else None) for row in expected.schools]
    text = pdf_text(build(methodologist, "rating", "pdf", year=YEAR))
    assert "Нормирование" in text and "Сумма весов" in text and "Сравнение кластеров" in text


def test_bases_are_scoped_to_what_the_owner_sees(methodologist, head_a, head_b, district):
    wb = load_workbook(io.BytesIO(build(methodologist, "vacancies", "xlsx", on="2025-12-31")))
    rows = list(wb["Вакансии"].iter_rows(min_row=2, values_only=True))
    assert sorted(r[0] for r in rows) == ["СОШ №1", "СОШ №2"]  # the closed one is not open on the date
    assert wb["Вакансии"].cell(row=2, column=6).number_format == "DD.MM.YYYY"
    wb = load_workbook(io.BytesIO(build(head_b, "vacancies", "xlsx", on="2025-12-31")))
    assert [r[0] for r in wb["Вакансии"].iter_rows(min_row=2, values_only=True)] == ["СОШ №2"]
    text = pdf_text(build(head_a, "young", "pdf", on="2025-12-31"))
    assert "Молодова" in text and "Юнцова" not in text  # another school's people never appear
    wb = load_workbook(io.BytesIO(build(methodologist, "young", "xlsx", on="2025-12-31")))
    rows = {r[0].split()[0]: r for r in wb["Молодые педагоги"].iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"Молодова", "Юнцова"}
    assert rows["Молодова"][5] and not rows["Юнцова"][5] and not rows["Юнцова"][6]


def test_cycle_table_document(methodologist, municipality, district):
    from monitoring.cycle import load_seed

    load_seed(municipality, YEAR, full=True)
    wb = load_workbook(io.BytesIO(build(methodologist, "cycle", "xlsx", year=YEAR)))
    ws = wb["Таблица 2.2"]
    # The seed's layout: a block per step, a row per direction and record, with Документ / Сроки / Ответственные.
    assert [c.value for c in ws[1]] == ["Этап", "Направление", "Содержание", "Мероприятия", "Документ", "Сроки",
                                        "Ответственные / участники"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows][0] == "Цели" and {r[0] for r in rows} >= {"Цели", "Показатели",
                                                                           "Анализ эффективности принятых мер"}
    goal = next(r for r in rows if r[0] == "Цели" and r[1])
    assert "Выявление профессиональных дефицитов" in goal[2] and goal[4] and goal[5] and goal[6]
    text = pdf_text(build(methodologist, "cycle", "pdf", year=YEAR))
    assert "2.2. Система обеспечения профессионального развития" in text


def test_who_may_order_what(personas, municipality, other_municipality):
    head = personas["head_a"]
    with pytest.raises(JobError):
        check(head, "briefing", {"municipality": municipality.pk, "year": YEAR})
    check(head, "vacancies", {"municipality": municipality.pk})
    with pytest.raises(JobError, match="Муниципалитет"):
        check(personas["methodologist"], "rating", {"municipality": other_municipality.pk, "year": YEAR})
    with pytest.raises(JobError):
        check(personas["methodologist"], "nonsense", {"municipality": municipality.pk})
    assert set(REGISTRY) == {"briefing", "region", "order", "rating", "vacancies", "young", "cycle", "letter",
                             "survey-letter", "diagnostics-order", "mentors-order", "network-order", "young-plan",
                             "route"}
    for persona in ("methodologist", "viewer", "head_a"):
        with pytest.raises(JobError, match="нет прав"):
            check(personas[persona], "region", {"year": YEAR})
    check(personas["admin"], "region", {"year": YEAR})


def test_a_future_year_is_a_clear_error(methodologist):
    with pytest.raises(JobError, match="прошедший или текущий"):
        build(methodologist, "briefing", "pdf", year=date.today().year + 1)


def test_expired_dates_are_read(methodologist, district):
    wb = load_workbook(io.BytesIO(build(methodologist, "vacancies", "xlsx",
                                        on=(date(2025, 3, 1) - timedelta(days=1)).isoformat())))
    assert list(wb["Вакансии"].iter_rows(min_row=2, values_only=True)) == [] or \
        all(r[0] != "СОШ №1" for r in wb["Вакансии"].iter_rows(min_row=2, values_only=True))


def test_region_briefing_pools_every_municipality(admin_user, district, other_municipality, school_far):
    """The district (4 of 10 diagnosed) and a neighbour (2 of 2): the region is 6 of 12 = 50,0 %, pooled, not
    the mean of 40 % and 100 %; the district is below the region, the neighbour above."""
    campaign = CampaignFactory(municipality=other_municipality, start_date=date(YEAR, 5, 1),
                               end_date=date(YEAR, 5, 10))
    for i in range(2):
        t = make_teacher(school_far, hired=date(2015, 9, 1), last_name=f"Соседова{i}")
        m.DiagnosticResult.objects.create(campaign=campaign, teacher=t)
    doc = check(admin_user, "region", {"year": YEAR})
    text = pdf_text(doc.build(admin_user, {"year": YEAR}, "pdf", lambda p: None)[1])
    assert f"региона за {YEAR} год" in text and "стр. 1 из" in text
    assert "по региону — 50,0 %" in text
    assert "Наибольшее значение — Соседний район (100,0 %), наименьшее — Усть-Лабинский район (40,0 %)" in text
    assert "ниже регионального значения 1 из 2 муниципалитетов" in text
    wb = load_workbook(io.BytesIO(doc.build(admin_user, {"year": YEAR}, "xlsx", lambda p: None)[1]))
    assert wb.sheetnames[0] == "Сводка"
    sheet = next(wb[n] for n in wb.sheetnames[1:] if "D1, %" in [c.value for c in wb[n][1]])
    header = [c.value for c in sheet[1]]
    rows = {r[0]: dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Регион"]["D1, %"] == pytest.approx(0.5)
    assert (rows["Регион"]["D1 числ."], rows["Регион"]["D1 знам."]) == (6, 12)
    assert rows["Усть-Лабинский район"]["D1, %"] == pytest.approx(0.4)
    assert rows["Соседний район"]["D1, %"] == pytest.approx(1.0)


def test_a_closed_years_documents_rebuild_byte_for_byte(methodologist, district, admin_user):
    """Once a year is closed its data cannot change, so its documents come out identical whenever they are
    ordered: no build time in the XLSX/DOCX zips or their properties, the closure date as the document's date."""
    import time_machine
    from django.utils import timezone

    from indicators.models import YearClosure

    YearClosure.objects.create(municipality_id=user_municipality(methodologist), year=YEAR, closed_by=admin_user)
    kinds = [("briefing", fmt) for fmt in ("pdf", "xlsx", "docx")] + [("rating", "xlsx"), ("rating", "docx"),
                                                                      ("cycle", "docx")]
    first = {key: build(methodologist, key[0], key[1], year=YEAR) for key in kinds}
    # 40 days and a few seconds later by every clock the libraries read (time.time() for zip member times and
    # font subsets, datetime.now() for document properties, timezone.localdate()), without waiting for it.
    with time_machine.travel(timezone.now() + timedelta(days=40, seconds=5)):
        for key in kinds:
            assert build(methodologist, key[0], key[1], year=YEAR) == first[key], key
