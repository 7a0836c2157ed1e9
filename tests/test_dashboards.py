
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from teachers import models as m

from .factories import CampaignFactory, SchoolFactory, make_teacher


def populate(municipality, schools, per_school=3):
    camp = CampaignFactory(municipality=municipality)
    for _ in range(schools):
        school = SchoolFactory(municipality=municipality)
        for i in range(per_school):
            t = make_teacher(school)
            if i % 2:
                result = m.DiagnosticResult.objects.create(campaign=camp, teacher=t)
                result.deficit_areas.add(m.DeficitArea.objects.first())


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


@pytest.mark.parametrize("url", ["/indicators/?period=2025", "/indicators/cluster/{mid}-{cid}/?period=2025",
                                 "/indicators/school/{sid}/?period=2025"])
def test_dashboard_query_count_does_not_grow(client, methodologist, municipality, url):
    client.force_login(methodologist)
    populate(municipality, 3)
    school = municipality.schools.first()
    target = url.format(mid=municipality.pk, cid=school.cluster_id, sid=school.pk)
    small = count_queries(client, target)
    populate(municipality, 12, per_school=5)
    assert count_queries(client, target) == small


def test_district_dashboard_shows_pooled_values_and_targets(client, methodologist, school_a, school_b):
    from indicators.models import Target

    camp = CampaignFactory(municipality=school_a.municipality)
    for i in range(4):
        t = make_teacher(school_a)
        if i == 0:
            m.DiagnosticResult.objects.create(campaign=camp, teacher=t)
    t = make_teacher(school_b)
    m.DiagnosticResult.objects.create(campaign=camp, teacher=t)
    Target.objects.create(indicator_code="D1", year=2025, municipality=school_a.municipality, value=50)
    client.force_login(methodologist)
    body = client.get("/indicators/?period=2025").content.decode()
    assert "40,0\u00a0%" in body  # (1 + 1) / (4 + 1)
    assert "2 / 5" in body and "50,0\u00a0%" in body


def test_head_sees_own_school_dashboard_only(client, head_a, school_a, school_b):
    make_teacher(school_a)
    client.force_login(head_a)
    assert client.get(f"/indicators/school/{school_a.pk}/").status_code == 200
    assert client.get(f"/indicators/school/{school_b.pk}/").status_code == 404
    assert client.get(f"/indicators/cluster/{school_b.municipality_id}-{school_b.cluster_id}/").status_code == 403
    # «Показатели» opens the head's own school against its cluster and the district.
    response = client.get("/indicators/", {"period": "2025"})
    assert response.status_code == 200 and response.context["school"] == school_a
    assert "Кластер (" in response.content.decode()


def test_drilldown_counts_equal_the_number_and_are_scoped(client, methodologist, head_a, school_a, school_b):
    camp = CampaignFactory(municipality=school_a.municipality)
    for i in range(3):
        t = make_teacher(school_a)
        if i:
            m.DiagnosticResult.objects.create(campaign=camp, teacher=t)
    client.force_login(methodologist)
    response = client.get("/indicators/explain/", {"code": "D1", "level": "school", "key": school_a.pk,
                                                   "period": "2025"})
    body = response.content.decode()
    assert 'data-testid="numerator-count">2<' in body and 'data-testid="denominator-count">3<' in body
    assert "2 из 3" in body
    client.force_login(head_a)
    assert client.get("/indicators/explain/", {"code": "D1", "level": "school", "key": school_b.pk}).status_code == 404
    assert client.get("/indicators/explain/", {"code": "D1", "level": "municipality",
                                               "key": school_a.municipality_id}).status_code == 403
    assert client.get("/indicators/explain/", {"code": "D1", "level": "school", "key": school_a.pk}).status_code == 200


def test_outlier_rule():
    from decimal import Decimal

    from indicators.views.dashboards import outliers

    values = [Decimal(v) for v in ("50", "52", "48", "51", "5")] + [None]
    assert outliers(values) == {4}
    assert outliers([Decimal("1"), None]) == set()


def test_school_trend_has_each_years_own_values(municipality, school_a, school_b):
    """The trend reuses the table's two computations for their years and computes the others: every point is
    that year's value for the school."""
    from datetime import date
    from decimal import Decimal

    from indicators.views.dashboards import trend_series
    from indicators.engine import Period, compute

    teachers = [make_teacher(school_a) for _ in range(4)]
    make_teacher(school_b)
    for year, diagnosed in ((2023, 1), (2024, 2), (2025, 3)):
        camp = CampaignFactory(municipality=municipality, start_date=date(year, 4, 1), end_date=date(year, 4, 20))
        for t in teachers[:diagnosed]:
            m.DiagnosticResult.objects.create(campaign=camp, teacher=t)
    ids = [school_a.pk, school_b.pk]
    for period in (Period.calendar_year(2025), Period.quarter(2025, 2)):
        result, previous = compute(period, schools=ids), compute(period.previous_year(), schools=ids)
        years, series = trend_series(school_a.pk, period, result, previous)
        assert years == [2023, 2024, 2025]
        assert series["D1"] == [Decimal("25.0"), Decimal("50.0"), Decimal("75.0")], period
