"""The «Вклад ОО» rating against hand-computed scores: weighted shares, ties sharing a place, pooled clusters."""
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.engine import Period
from indicators.models import RatingCriterion
from indicators.rating import rating
from teachers import models as m

from .factories import SchoolFactory, make_teacher


@pytest.fixture
def two_criteria(db):
    RatingCriterion.objects.all().delete()
    RatingCriterion.objects.create(indicator_code="Q1", weight=3, order=1)  # highest category
    RatingCriterion.objects.create(indicator_code="Q7", weight=1, order=2)  # mentors


def staff(school, n, highest=0):
    cat = m.QualificationCategory.objects.get(code="highest")
    people = [make_teacher(school, hired=date(2015, 9, 1)) for _ in range(n)]
    for t in people[:highest]:
        t.category = cat
        t.save()
    return people


def test_scores_places_ties_and_clusters(two_criteria, municipality):
    cluster = m.Cluster.objects.get(code="mksh")
    a = SchoolFactory(short_name="А-школа", municipality=municipality, cluster=cluster)
    b = SchoolFactory(short_name="Б-школа", municipality=municipality, cluster=cluster)
    c = SchoolFactory(short_name="В-школа", municipality=municipality, cluster=m.Cluster.objects.get(code="umksh"))
    empty = SchoolFactory(short_name="Г-школа", municipality=municipality, cluster=cluster)
    pa = staff(a, 4, highest=2)
    m.Mentorship.objects.create(mentor=pa[0], mentee=pa[1], level="school", start=date(2025, 1, 10))
    staff(b, 2, highest=1)
    staff(c, 2, highest=1)
    result = rating(Period.calendar_year(2025), [a.pk, b.pk, c.pk, empty.pk])
    rows = {r.name: r for r in result.schools}
    # A: Q1 = 2/4 = 50 %, Q7 = 1/4 = 25 % → (3×50 + 1×25) / 4 = 43.75 → 43.8
    assert rows["А-школа"].score == Decimal("43.8") and rows["А-школа"].place == 1
    # B and C: Q1 = 50 %, Q7 = 0 % → 150 / 4 = 37.5, sharing place 2
    assert rows["Б-школа"].score == rows["В-школа"].score == Decimal("37.5")
    assert rows["Б-школа"].place == rows["В-школа"].place == 2 and rows["Б-школа"].shared
    # No staff: no score, no place, listed last.
    assert rows["Г-школа"].score is None and rows["Г-школа"].place is None
    assert result.schools[-1].name == "Г-школа"
    assert [p.code for p in rows["А-школа"].parts] == ["Q1", "Q7"]
    assert rows["А-школа"].parts[1].numerator == 1 and rows["А-школа"].parts[1].denominator == 4
    # МКШ pooled: Q1 = 3/6 = 50 %, Q7 = 1/6 = 16.7 % → (150 + 16.7) / 4 = 41.675 → 41.7 (not the mean of 43.8 and 37.5)
    clusters = {r.name: r for r in result.clusters}
    assert clusters["МКШ"].score == Decimal("41.7")
    assert result.total_weight == Decimal("4")


def test_one_more_tie_skips_the_next_place(two_criteria, municipality):
    schools = [SchoolFactory(short_name=f"Ш{i}", municipality=municipality) for i in range(4)]
    for s, highest in zip(schools, (2, 1, 1, 0)):
        staff(s, 2, highest=highest)
    result = rating(Period.calendar_year(2025), [s.pk for s in schools])
    assert [r.place for r in result.schools] == [1, 2, 2, 4]


def test_rating_page(client, personas, school_a):
    staff(school_a, 3, highest=1)
    client.force_login(personas["methodologist"])
    page = client.get(reverse("rating") + "?period=2025").content.decode()
    assert "Нормирование" in page and school_a.short_name in page and "Q1" in page
    client.force_login(personas["head_a"])
    assert client.get(reverse("rating")).status_code == 403


def test_weights_are_validated(db):
    RatingCriterion.objects.all().delete()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        RatingCriterion(indicator_code="K1", weight=1).full_clean()  # a count, not a share
    with pytest.raises(ValidationError):
        RatingCriterion(indicator_code="Q9", weight=1).full_clean()
    with pytest.raises(ValidationError):
        RatingCriterion(indicator_code="Q1", weight=0).full_clean()
