"""The drill-down: who is counted, who is in the denominator but not counted, who the rules leave out — each
name a link to the card when the user may open it; the numbers are the engine's own."""
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.engine import Period, explain
from teachers import models as m

from .factories import CampaignFactory, make_teacher

URL = "/indicators/explain/"


@pytest.fixture
def young(school_a):
    """School A on 31.12.2025: two young specialists with both mentors, three with a school mentor only, a veteran
    mentor, and an external part-timer."""
    mentor = make_teacher(school_a, last_name="Наставникова", ped_experience_start=date(2000, 9, 1))
    people = {"mentor": mentor, "both": [], "school_only": []}
    for i in range(5):
        t = make_teacher(school_a, last_name=f"Молодая{i}", hired=date(2024, 9, 1),
                         ped_experience_start=date(2024, 9, 1), birth_date=date(2001, 1, 1))
        m.Mentorship.objects.create(mentor=mentor, mentee=t, level="school", start=date(2024, 9, 1))
        if i < 2:
            m.Mentorship.objects.create(mentor=mentor, mentee=t, level="municipal", start=date(2024, 9, 1))
            people["both"].append(t)
        else:
            people["school_only"].append(t)
    people["external"] = make_teacher(school_a, last_name="Совместителева", employment=m.Employment.EXTERNAL)
    return people


def test_y1_lists_the_young_without_two_mentors_as_not_counted(client, methodologist, school_a, young):
    ex = explain("Y1", Period.calendar_year(2025), "school", school_a.pk)
    assert (ex.cell.numerator, ex.cell.denominator) == (2, 5)  # the number itself is unchanged
    assert sorted(t.last_name for _, t in ex.numerator) == ["Молодая0", "Молодая1"]
    assert sorted(t.last_name for _, t in ex.not_counted) == ["Молодая2", "Молодая3", "Молодая4"]
    assert ex.excluded == []  # a share of a sub-population: the rest of the staff is not "left out"
    client.force_login(methodologist)
    body = client.get(URL, {"code": "Y1", "level": "school", "key": school_a.pk, "period": "2025"}).content.decode()
    assert 'data-testid="not-counted-count">3<' in body and 'data-testid="denominator-count">5<' in body
    not_counted = body[body.index('data-testid="not-counted"'):body.index('data-testid="excluded"')]
    for t in young["school_only"]:
        assert reverse("teacher-detail", args=[t.pk]) in not_counted


def test_d1_excludes_external_part_timers_with_the_reason(client, methodologist, school_a, young):
    camp = CampaignFactory(municipality=school_a.municipality, start_date=date(2025, 4, 1), end_date=date(2025, 4, 20))
    m.DiagnosticResult.objects.create(campaign=camp, teacher=young["mentor"])
    ex = explain("D1", Period.calendar_year(2025), "school", school_a.pk)
    assert (len(ex.numerator), len(ex.denominator), len(ex.not_counted)) == (1, 6, 5)
    assert [(t.last_name, reason.split(":")[0]) for _, t, reason in ex.excluded] == [
        ("Совместителева", "внешний совместитель")]
    client.force_login(methodologist)
    body = client.get(URL, {"code": "D1", "level": "school", "key": school_a.pk, "period": "2025"}).content.decode()
    assert 'data-testid="excluded-count">1<' in body and "внешний совместитель" in body


def test_a_head_gets_links_to_own_people_only(client, head_a, head_b, school_a, school_b, young):
    client.force_login(head_a)
    body = client.get(URL, {"code": "K1", "level": "school", "key": school_a.pk, "period": "2025"}).content.decode()
    assert reverse("teacher-detail", args=[young["mentor"].pk]) in body
    client.force_login(head_b)
    assert client.get(URL, {"code": "K1", "level": "school", "key": school_a.pk}).status_code == 404
    assert client.get(URL, {"code": "K1", "level": "municipality", "key": school_a.municipality_id}).status_code == 403


def test_drilldown_query_count_does_not_grow_with_the_staff(client, methodologist, school_a, young):
    client.force_login(methodologist)
    params = {"code": "D1", "level": "municipality", "key": school_a.municipality_id, "period": "2025"}
    client.get(URL, params)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL, params).status_code == 200
    for i in range(12):
        make_teacher(school_a, last_name=f"Новая{i}")
        make_teacher(school_a, last_name=f"Внешняя{i}", employment=m.Employment.EXTERNAL)
    with CaptureQueriesContext(connection) as large:
        assert client.get(URL, params).status_code == 200
    assert len(large.captured_queries) <= len(small.captured_queries)
