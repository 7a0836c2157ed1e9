"""The аналитическая справка: numbers per direction from the engine, conclusions drafted from them, edited text kept."""
from datetime import date

import pytest
from django.urls import reverse

from indicators.models import Target
from monitoring import briefing
from monitoring.models import Briefing
from teachers import models as m

from .factories import CampaignFactory, SchoolFactory, make_teacher


@pytest.fixture
def district(municipality):
    """2025: school A 4 teachers, 3 diagnosed (75 %); school B 4 teachers, 1 diagnosed (25 %). D1 target 60 %."""
    a = SchoolFactory(short_name="СОШ №11", municipality=municipality, cluster=m.Cluster.objects.get(code="mksh"))
    b = SchoolFactory(short_name="СОШ №12", municipality=municipality, cluster=m.Cluster.objects.get(code="umksh"))
    campaign = CampaignFactory(municipality=municipality, start_date=date(2025, 4, 1), end_date=date(2025, 4, 20))
    for school, diagnosed in ((a, 3), (b, 1)):
        for i in range(4):
            t = make_teacher(school, hired=date(2015, 9, 1))
            if i < diagnosed:
                m.DiagnosticResult.objects.create(campaign=campaign, teacher=t)
    Target.objects.create(indicator_code="D1", municipality=municipality, year=2025, value=60)
    return a, b


def test_facts_and_drafted_conclusions(municipality, district):
    facts = briefing.facts(municipality, 2025)
    deficits = next(d for d in facts["directions"] if d.direction.code == "deficits")
    d1 = next(f for f in deficits.indicators if f.indicator.code == "D1")
    assert (d1.value.numerator, d1.value.denominator, str(d1.value.value)) == (4, 8, "50.0")  # pooled
    assert d1.reached is False and [name for name, _ in d1.short_schools] == ["СОШ №12"]
    assert {name: (c.numerator, c.denominator) for name, c, _, _ in d1.clusters} == {"МКШ": (3, 4), "УМКШ": (1, 4)}
    assert "<svg" in d1.chart
    text = deficits.conclusion
    assert "50,0\u00a0%: целевое значение 60,0\u00a0% не достигнуто" in text
    assert "Не достигли целевого значения 1 ОО: СОШ №12." in text
    assert ".." not in text
    draft = briefing.draft(municipality, 2025, facts)
    assert "по 2 общеобразовательным организациям" in draft["intro"]
    assert "достигнуто 0, не достигнуто 1" in draft["summary"]


def test_methodologist_edits_and_redrafts(client, personas, municipality, district):
    url = reverse("briefing") + "?year=2025"
    client.force_login(personas["methodologist"])
    page = client.get(url).content.decode()
    assert "ещё не сохранён" in page and "не достигнуто" in page
    response = client.post(reverse("briefing"), {"year": 2025, "municipality": municipality.pk,
                                                 "intro": "Своё введение", "summary": "Итог",
                                                 "conclusion_deficits": "Свой вывод", "signatory": "Директор"})
    assert response.status_code == 302
    doc = Briefing.objects.get()
    assert (doc.intro, doc.conclusions["deficits"], doc.updated_by) == ("Своё введение", "Свой вывод",
                                                                         personas["methodologist"])
    assert "Свой вывод" in client.get(url).content.decode()
    client.post(reverse("briefing"), {"year": 2025, "municipality": municipality.pk, "redraft": "1"})
    doc.refresh_from_db()
    assert "не достигнуто" in doc.conclusions["deficits"] and doc.history.count() == 2
    client.force_login(personas["viewer"])
    assert client.get(url).status_code == 200
    assert client.post(reverse("briefing"), {"year": 2025, "intro": "x"}).status_code == 403
    doc.refresh_from_db()
    assert doc.intro != "x"
    client.force_login(personas["head_a"])
    assert client.get(url).status_code == 403


def test_briefing_query_count_does_not_grow(client, methodologist, municipality, district,
                                            django_assert_max_num_queries):
    client.force_login(methodologist)
    url = reverse("briefing") + "?year=2025"
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for i in range(5):
        school = SchoolFactory(short_name=f"ООШ №{i + 10}", municipality=municipality)
        make_teacher(school)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url)


def test_the_briefing_form_refuses_bad_text_in_russian_and_saves_nothing(client, methodologist, municipality,
                                                                         district):
    client.force_login(methodologist)
    response = client.post(reverse("briefing"), {"year": 2025, "municipality": municipality.pk,
                                                 "intro": "Введение", "signatory": "Д" * 301,
                                                 "conclusion_deficits": "Вывод"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Справка не сохранена" in page and "не более 300 символов" in page
    assert "Вывод</textarea>" in page and "Введение</textarea>" in page  # what was typed comes back
    assert not Briefing.objects.exists()


def test_a_closed_years_briefing_is_refused_by_the_form(client, methodologist, municipality, district):
    from indicators.models import YearClosure

    client.force_login(methodologist)
    client.post(reverse("briefing"), {"year": 2025, "municipality": municipality.pk, "intro": "Было"})
    YearClosure.objects.create(municipality=municipality, year=2025)
    response = client.post(reverse("briefing"), {"year": 2025, "municipality": municipality.pk, "intro": "Стало"})
    assert response.status_code == 200 and "2025 год закрыт" in response.content.decode()
    assert Briefing.objects.get().intro == "Было"


def test_the_briefing_refuses_tampered_municipalities_and_years_and_keeps_the_text(client, methodologist,
                                                                                   municipality, district,
                                                                                   other_municipality):
    """Another district's id (or none at all) is 404, a year outside the calendar 400 — nothing saved either
    way; a closed year's refusal, also of «составить заново», gives back what was typed."""
    from indicators.models import YearClosure

    client.force_login(methodologist)
    for municipality_id, status in ((other_municipality.pk, 404), (10**9, 404), ("abc", 400)):
        response = client.post(reverse("briefing"), {"year": 2025, "municipality": municipality_id,
                                                     "intro": "Чужая"})
        assert response.status_code == status, municipality_id
    for year in ("99999", "-1", "двадцать"):
        assert client.post(reverse("briefing"), {"year": year, "municipality": municipality.pk,
                                                 "intro": "Год"}).status_code == 400
    assert not Briefing.objects.exists()
    YearClosure.objects.create(municipality=municipality, year=2025)
    response = client.post(reverse("briefing"), {"year": 2025, "municipality": municipality.pk,
                                                 "intro": "Набранный текст", "conclusion_deficits": "Вывод А"})
    page = response.content.decode()
    assert response.status_code == 200 and "2025 год закрыт" in page
    assert "Набранный текст</textarea>" in page and "Вывод А</textarea>" in page
    response = client.post(reverse("briefing"), {"year": 2025, "municipality": municipality.pk, "redraft": "1"})
    assert response.status_code == 200 and "2025 год закрыт" in response.content.decode()
    assert not Briefing.objects.exists()
