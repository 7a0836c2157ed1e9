"""Every document in every format, read back: PDF text and page images, DOCX paragraphs, styles and tables, XLSX
cells and print settings; the приказ's ГОСТ requisites; the documents from the seeds; who may order the ИОМ."""
import io
import re
import shutil
import subprocess
from datetime import date

import pytest
from django.urls import reverse
from docx import Document as Docx
from docx.oxml.ns import qn
from openpyxl import load_workbook

from monitoring.calendar import create_year_with_defaults
from monitoring.models import Stage
from reports.documents.base import JobError
from reports.documents.registry import REGISTRY, check
from reports.documents.gost import initials_surname
from reports.models import Signatories
from teachers import models as m

from .factories import EventFactory
from .test_reports_documents import YEAR, district, pdf_text  # noqa: F401 (the fixture)

ORDER_DATE = "2026-02-10"
SIGNED = {"number": "01-07/215", "date": ORDER_DATE, "signer_name": "Ковалёва Наталья Александровна",
          "signer_title": "Начальник управления образованием", "executor_name": "Езубова Юлия Викторовна",
          "executor_phone": "8 (86135) 5-12-34",
          "approvers": "Заместитель начальника; Петрова Анна Сергеевна\nЮрист — Смирнов О. И."}


@pytest.fixture
def records(district, municipality, school_a, school_b):
    """On top of the district: the calendar of two years, a diagnosed teacher with deficits and an ИОМ with two
    activities, a contest winner, an РМО with a leader and a meeting, a young teacher at an event."""
    create_year_with_defaults(municipality, YEAR)
    create_year_with_defaults(municipality, YEAR + 1)
    teacher = district[school_a.pk][1]
    teacher.email = "filatova@example.ru"
    teacher.save()
    result = m.DiagnosticResult.objects.get(teacher=teacher)
    result.deficit_areas.add(m.DeficitArea.objects.get(code="subject"))
    route = m.IndividualRoute.objects.create(teacher=teacher, year=YEAR, diagnostic_result=result,
                                             approved_on=date(YEAR, 5, 1), goal="Предметные компетенции")
    course = EventFactory(municipality=municipality, kind=m.EventKind.objects.get(code="course"),
                          title="Курсы ПК «Функциональная грамотность»", start_date=date(YEAR, 9, 1),
                          end_date=date(YEAR, 9, 20))
    done = m.Participation.objects.create(event=course, teacher=teacher, certificate="ПК № 2329877")
    m.RouteActivity.objects.create(route=route, title="Курсы по функциональной грамотности",
                                   deficit_area=m.DeficitArea.objects.get(code="subject"),
                                   planned_date=date(YEAR, 9, 30), done_on=date(YEAR, 9, 20), participation=done)
    m.RouteActivity.objects.create(route=route, title="Открытый урок", planned_date=date(YEAR, 12, 1))
    contest = EventFactory(municipality=municipality, kind=m.EventKind.objects.get(code="contest"),
                           title="Учитель года", start_date=date(YEAR, 2, 1), end_date=date(YEAR, 2, 20))
    m.Participation.objects.create(event=contest, teacher=district[school_b.pk][0], role="winner")
    rmo = m.Association.objects.create(name="РМО учителей математики", municipality=municipality,
                                       kind=m.AssociationKind.objects.get(code="rmo"))
    m.Membership.objects.create(association=rmo, teacher=district[school_a.pk][2], role="leader",
                                start=date(YEAR, 1, 1))
    EventFactory(municipality=municipality, kind=m.EventKind.objects.get(code="rmo-meeting"), association=rmo,
                 title="Заседание РМО", start_date=date(YEAR, 3, 1), end_date=date(YEAR, 3, 1))
    young = m.Teacher.objects.get(last_name="Молодова")
    seminar = EventFactory(municipality=municipality, title="Школа молодого педагога",
                           start_date=date(YEAR, 10, 1), end_date=date(YEAR, 10, 1))
    m.Participation.objects.create(event=seminar, teacher=young)
    return {"route": route, "teacher": teacher}


def params_for(user, kind, records, **extra):
    doc = REGISTRY[kind]
    out = dict(extra)
    if doc.needs_municipality:
        out["municipality"] = user.municipality_id or user.school.municipality_id
    if doc.needs_year:
        out["year"] = YEAR
    if not doc.needs_year:
        out["on"] = f"{YEAR}-12-31"
    if doc.signed:
        out.update(SIGNED)
    if doc.needs_route:
        out["route"] = records["route"].pk
    return out


def make(user, kind, fmt, params):
    doc = check(user, kind, params)
    return doc.build(user, params, fmt, lambda p: None)[1]


@pytest.fixture(scope="module")
def built_pdfs():
    """PDFs built from `records` by the read-back test, kept for the layout test: WeasyPrint need not lay out
    the same document twice (each test builds its own when run alone)."""
    return {}


def docx_text(content):
    doc = Docx(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return " ".join(" ".join(parts).split()), doc


def every_document():
    return [(kind, fmt) for kind, doc in REGISTRY.items() for fmt in doc.formats]


@pytest.mark.parametrize("kind,fmt", every_document())
def test_every_document_builds_and_reads_back(kind, fmt, methodologist, admin_user, records, built_pdfs):
    user = admin_user if kind == "region" else methodologist
    content = make(user, kind, fmt, params_for(user, kind, records))
    if fmt == "pdf":
        built_pdfs[kind] = content
        text = pdf_text(content)
        assert "u002D" not in text
        if REGISTRY[kind].signed and kind != "young-plan":
            assert "01-07/215" in text
    elif fmt == "docx":
        text, doc = docx_text(content)
        assert len(text) > 200
        section = doc.sections[0]
        assert round(section.top_margin.mm) >= 20 and round(section.bottom_margin.mm) >= 20
        assert round(section.left_margin.mm) >= 20 and round(section.right_margin.mm) >= 10
        for table in doc.tables:
            assert table.rows  # tables stay tables
    else:
        wb = load_workbook(io.BytesIO(content))
        assert wb.sheetnames[0] == "Сводка"
        for ws in wb.worksheets:
            assert int(ws.page_setup.paperSize) == 9  # A4
            assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
            assert ws.page_setup.fitToHeight == 0
            assert "&P" in ws.oddFooter.right.text and "&N" in ws.oddFooter.right.text
            if ws.title != "Сводка":
                assert ws.print_title_rows, ws.title  # the header row repeats on every printed page
                header = [c.value for c in ws[ws.print_title_rows.split(":")[0].lstrip("$")]]
                assert not [h for h in header if isinstance(h, str) and re.search(r"\d\.\d", h)], header
            width = sum((ws.column_dimensions[c].width or 8) for c in ws.column_dimensions)
            assert ws.page_setup.orientation == ("landscape" if width > 100 else "portrait") or ws.title == "Сводка"


def test_the_order_carries_the_gost_requisites(methodologist, municipality, records):
    municipality.office_name = "Управление образованием администрации муниципального образования Тестовый район"
    municipality.place = "г. Тестовск"
    municipality.save()
    params = params_for(methodologist, "order", records)
    content = make(methodologist, "order", "pdf", params)
    text = pdf_text(content)
    for expected in ("УПРАВЛЕНИЕ ОБРАЗОВАНИЕМ АДМИНИСТРАЦИИ МУНИЦИПАЛЬНОГО ОБРАЗОВАНИЯ ТЕСТОВЫЙ РАЙОН", "ПРИКАЗ",
                     "10.02.2026", "№ 01-07/215", "г. Тестовск", "ПРИКАЗЫВАЮ:",
                     "Начальник управления образованием", "Н. А. Ковалёва", "СОГЛАСОВАНО:",
                     "Заместитель начальника", "А. С. Петрова", "Юрист", "О. И. Смирнов",
                     "Езубова Юлия Викторовна", "8 (86135) 5-12-34", "Приложение 2", "к приказу"):
        assert expected in text, expected
    assert "Ковалёва Наталья Александровна" not in text  # the signature is initials and surname
    assert "ОБРА- ЗОВАНИЯ" not in text and "ОБРА‐ ЗОВАНИЯ" not in text
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", "-", "-"], input=content,
                           capture_output=True, check=True).stdout.decode()
    assert "стр." not in first and not re.match(r"\s*1\s*\n", first)  # no number on page 1
    second = subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-", "-"], input=content, capture_output=True,
                            check=True).stdout.decode()
    assert second.split()[0] == "2"  # page numbers at the top from page 2
    text, doc = docx_text(make(methodologist, "order", "docx", params))
    for expected in ("ПРИКАЗ", "ПРИКАЗЫВАЮ:", "Н. А. Ковалёва", "СОГЛАСОВАНО:", "А. С. Петрова",
                     "8 (86135) 5-12-34", "№ 01-07/215"):
        assert expected in text, expected
    assert doc.sections[0].different_first_page_header_footer
    assert "PAGE" in doc.sections[0].header._element.xml
    items = [p for p in doc.paragraphs if re.match(r"\d+\. ", p.text)]
    assert items[-1].text.startswith(f"{len(items)}. Контроль за исполнением")
    header_rows = doc.tables[-1]._tbl.findall(".//" + qn("w:tblHeader"))
    assert header_rows  # the appendix's header row repeats on every page in Word


def test_order_deadline_comes_from_the_calendar(municipality, records):
    from reports.documents.order import plan_deadline

    initial = Stage.objects.get(monitoring_year__municipality=municipality, monitoring_year__year=YEAR + 1,
                                kind=Stage.Kind.INITIAL)
    assert plan_deadline(municipality, YEAR, date(YEAR + 1, 2, 10)) == initial.end
    Stage.objects.filter(monitoring_year__municipality=municipality).delete()
    assert plan_deadline(municipality, YEAR, date(YEAR + 1, 2, 10)) is None  # no invented date


def test_signature_as_initials_and_surname():
    nb = "\u00a0"
    for name in ("Ковалёва Наталья Александровна", "Ковалёва Н. А.", "Н.А. Ковалёва", "Н. А. Ковалёва"):
        assert initials_surname(name) == f"Н.{nb}А.{nb}Ковалёва"


def test_signatories_are_remembered_per_municipality(client, methodologist, municipality, records,
                                                     django_capture_on_commit_callbacks):
    client.force_login(methodologist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents"), {"kind": "order", "fmt": "docx", "municipality": municipality.pk,
                                                      "year": YEAR, **SIGNED})
    assert response.status_code == 302
    saved = Signatories.objects.get(municipality=municipality)
    assert saved.signer_name == SIGNED["signer_name"] and "Петрова" in saved.approvers
    page = client.get(reverse("documents")).content.decode()
    assert 'value="Езубова Юлия Викторовна"' in page and "Петрова Анна Сергеевна" in page
    from reports.models import Job

    job = Job.objects.get()
    assert job.status == "done" and job.file_name.endswith(".docx")
    assert job.content_type.endswith("wordprocessingml.document")


def test_a_letter_has_no_spreadsheet(client, methodologist, municipality, records):
    client.force_login(methodologist)
    response = client.post(reverse("documents"), {"kind": "letter", "fmt": "xlsx", "municipality": municipality.pk,
                                                  "year": YEAR})
    assert response.status_code == 200 and "не готовится в таком формате" in response.content.decode()


def test_seed_documents_come_from_the_records(methodologist, records):
    text = pdf_text(make(methodologist, "mentors-order", "pdf", params_for(methodologist, "mentors-order", records)))
    assert "О закреплении наставников" in text and "Молодова" in text and "Юнцова" not in text.split("Приложение")[-1]
    assert "(1 чел.)" in text  # Юнцова has no mentor: the order asks her school to name one
    text = pdf_text(make(methodologist, "diagnostics-order", "pdf",
                         params_for(methodologist, "diagnostics-order", records)))
    assert "диагностику прошли 4 педагогических работников из 10" in text
    assert "Предметные" in text or "предмет" in text.lower()
    text = pdf_text(make(methodologist, "network-order", "pdf", params_for(methodologist, "network-order", records)))
    assert "Учитель года" in text and "РМО учителей математики" in text
    text = pdf_text(make(methodologist, "letter", "pdf", params_for(methodologist, "letter", records)))
    main = Stage.objects.get(monitoring_year__year=YEAR, kind=Stage.Kind.MAIN)
    assert "Уважаемые коллеги!" in text and f"{main.start:%d.%m.%Y}" in text
    wb = load_workbook(io.BytesIO(make(methodologist, "young-plan", "xlsx",
                                       params_for(methodologist, "young-plan", records))))
    events = [r[1] for r in wb["Мероприятия"].iter_rows(min_row=2, values_only=True)]
    assert "Школа молодого педагога" in events
    wb = load_workbook(io.BytesIO(make(methodologist, "route", "xlsx", params_for(methodologist, "route", records))))
    rows = list(wb["Мероприятия ИОМ"].iter_rows(min_row=4, values_only=True))
    assert [r[1] for r in rows] == ["Курсы по функциональной грамотности", "Открытый урок"]
    assert rows[0][4] == date(YEAR, 9, 20).replace() or rows[0][4].date() == date(YEAR, 9, 20)


def test_the_route_goes_through_scoping_and_personal_data(methodologist, viewer, head_a, head_b, records):
    params = {"route": records["route"].pk}
    with pytest.raises(JobError, match="ИОМ не найден"):
        check(head_b, "route", params)  # another school's teacher: as if it did not exist
    for user in (methodologist, head_a):
        assert "filatova@example.ru" in pdf_text(make(user, "route", "pdf", params))
    text = pdf_text(make(viewer, "route", "pdf", params))
    assert records["teacher"].last_name in text and "filatova@example.ru" not in text


# -- layout: every PDF's pages as images -----------------------------------------------------------------------

def page_fill(content):
    """For each page, the share of the text area (between the margins) down to the last ink, from a 30 dpi
    render; and each page's first words (to tell an appendix that starts a new page)."""
    from PIL import Image

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed; .ci/run installs it")
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", "30", "-gray", "-png", "-", f"{tmp}/p"], input=content, check=True)
        fills = []
        for path in sorted(Path(tmp).glob("p-*.png")):
            im = Image.open(path).convert("L")
            w, h = im.size
            top, bottom = int(h * 20 / 297), int(h * (297 - 20) / 297)
            if w > h:
                top, bottom = int(h * 20 / 210), int(h * (210 - 20) / 210)
            px = im.load()
            last = top
            for y in range(top, bottom):
                if any(px[x, y] < 160 for x in range(0, w, 2)):
                    last = y
            fills.append((last - top) / (bottom - top))
    starts = []
    for page in range(1, len(fills) + 1):
        out = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-", "-"], input=content,
                             capture_output=True, check=True).stdout.decode()
        starts.append(" ".join(out.split()[:4]))
    return fills, starts


@pytest.mark.parametrize("kind", [k for k, d in REGISTRY.items() if "pdf" in d.formats])
def test_no_page_is_left_nearly_empty(kind, methodologist, admin_user, records, built_pdfs):
    """No page less than a quarter full, except the last and a page an appendix follows on a new sheet."""
    user = admin_user if kind == "region" else methodologist
    content = built_pdfs.get(kind) or make(user, kind, "pdf", params_for(user, kind, records))
    fills, starts = page_fill(content)
    for i, fill in enumerate(fills[:-1]):
        next_start = re.sub(r"^\d+ ", "", starts[i + 1])
        if next_start.startswith("Приложение"):
            continue
        assert fill >= 0.25, f"{kind}: page {i + 1} of {len(fills)} is {fill:.0%} full"


def test_sheet_names_are_whole_words_and_charts_reach_word(admin_user, methodologist, records):
    from indicators.models import Direction

    wb = load_workbook(io.BytesIO(make(admin_user, "region", "xlsx", {"year": YEAR})))
    names = [d.name for d in Direction.objects.all()]
    for title in wb.sheetnames[1:]:
        assert len(title) <= 31
        assert any(n == title or (n.startswith(title) and n[len(title)] in " ,;") for n in names), title
    _text, doc = docx_text(make(methodologist, "briefing", "docx", params_for(methodologist, "briefing", records)))
    assert doc.inline_shapes  # the SVG charts drawn as pictures
    assert any(p.style.name == "Heading 2" for p in doc.paragraphs)  # real Word styles


def test_the_route_is_ordered_from_a_link_and_refused_to_an_outsider(client, head_a, head_b, records,
                                                                     django_capture_on_commit_callbacks):
    from reports.models import Job

    route = records["route"].pk
    client.force_login(head_a)
    page = client.get(reverse("documents") + f"?kind=route&route={route}&fmt=docx").content.decode()
    assert f'value="{route}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents"), {"kind": "route", "fmt": "docx", "route": route})
    job = Job.objects.get()
    assert response.status_code == 302 and job.status == "done" and job.params == {"route": route}
    client.force_login(head_b)
    assert client.post(reverse("documents"), {"kind": "route", "fmt": "pdf", "route": route}).status_code == 403
    assert Job.objects.count() == 1
