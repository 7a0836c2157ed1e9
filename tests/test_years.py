"""Years that stay true: year-scoped weights, the rollover to next year (preview first), closing a year."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from indicators.engine import Period
from indicators.models import Indicator, RatingCriterion, Target, YearClosure
from indicators.rating import rating
from monitoring import years
from monitoring.calendar import create_year_with_defaults
from monitoring.models import MonitoringYear
from monitoring.models.cycle import Goal
from monitoring.school_reports import report_for, transition

from .cycle_support import cycle_sample
from .factories import make_teacher


@pytest.fixture
def year_2025(municipality, school_a):
    my = create_year_with_defaults(municipality, 2025)
    Target.objects.create(indicator_code="D1", year=2025, municipality=municipality, value=Decimal("60"))
    Target.objects.create(indicator_code="D1", year=2025, municipality=municipality, cluster=school_a.cluster,
                          value=Decimal("70"))
    RatingCriterion.objects.all().delete()
    RatingCriterion.objects.create(indicator_code="Q1", year=2025, weight=3, order=1)
    RatingCriterion.objects.create(indicator_code="Q7", year=2025, weight=1, order=2)
    goal = cycle_sample(Goal, school_a)
    goal.timing = "июль–август 2025"
    goal.save()
    return my


def test_rollover_previews_then_creates_next_year_without_touching_this_one(year_2025, municipality, admin_user):
    plan = years.plan_rollover(year_2025)
    assert not MonitoringYear.objects.filter(municipality=municipality, year=2026).exists()  # preview writes nothing
    lines = {what: count for what, count, _ in plan.lines}
    assert lines["Этапы мониторинга"] == 3 and lines["Отчётные периоды (кварталы)"] == 4
    assert lines["Целевые значения (район и кластеры)"] == 2 and lines["Веса рейтинга «Вклад ОО»"] == 2
    assert lines["Цели (черновики)"] == 1
    made = years.rollover(admin_user, year_2025)
    assert made.year == 2026
    assert {(s.kind, s.start) for s in made.stages.all()} == {
        (s.kind, s.start.replace(year=2026)) for s in year_2025.stages.all()}
    assert made.periods.get(quarter=4).deadline.year == 2027
    assert Target.objects.filter(year=2026, municipality=municipality).count() == 2
    assert [(c.indicator_code, c.weight) for c in RatingCriterion.criteria_for(2026)] == [("Q1", 3), ("Q7", 1)]
    goal = Goal.objects.get(year=2026)
    assert goal.is_draft and goal.timing == "июль–август 2026"
    # Run again: nothing is duplicated.
    years.rollover(admin_user, year_2025)
    assert Target.objects.filter(year=2026).count() == 2 and Goal.objects.filter(year=2026).count() == 1


def test_new_weights_for_next_year_never_reweight_an_issued_rating(year_2025, municipality, school_a):
    make_teacher(school_a)
    before = rating(Period.calendar_year(2025), [school_a.pk])
    RatingCriterion.objects.create(indicator_code="Q1", year=2026, weight=9, order=1)
    after = rating(Period.calendar_year(2025), [school_a.pk])
    assert [(c.indicator_code, c.weight) for c, _ in after.criteria] == [
        (c.indicator_code, c.weight) for c, _ in before.criteria] == [("Q1", 3), ("Q7", 1)]
    assert [(c.indicator_code, c.weight) for c, _ in rating(Period.calendar_year(2026), [school_a.pk]).criteria] == [
        ("Q1", 9)]


def test_a_year_closes_only_after_its_analysis_and_is_then_read_only(year_2025, municipality, school_a, head_a,
                                                                     methodologist, admin_user, client):
    from monitoring.models.cycle import Analysis

    report = report_for(head_a, school_a, year_2025.periods.get(quarter=1))
    plan = years.plan_closing(year_2025)
    assert plan.blocking  # no section-2.2 analysis yet
    with pytest.raises(ValidationError):
        years.close_year(admin_user, year_2025)
    cycle_sample(Analysis, school_a)
    years.close_year(admin_user, year_2025)
    assert YearClosure.objects.filter(municipality=municipality, year=2025).exists()
    # Every path refuses: the model, the workflow, the pages, the admin.
    target = Target.objects.get(year=2025, cluster__isnull=True)
    target.value = Decimal("1")
    with pytest.raises(ValidationError):
        target.save()
    with pytest.raises(ValidationError):
        RatingCriterion.objects.get(year=2025, indicator_code="Q1").delete()
    with pytest.raises(ValidationError):
        transition(head_a, report, "submit")
    goal = Goal.objects.get(year=2025)
    client.force_login(methodologist)
    assert client.get(reverse("goal-update", args=[goal.pk])).status_code == 403
    client.force_login(admin_user)
    page = client.get(reverse("admin:indicators_target_change", args=[target.pk])).content.decode()
    assert 'name="value"' not in page  # shown read-only
    response = client.post(reverse("admin:indicators_target_change", args=[target.pk]), {
        "indicator_code": "D1", "year": 2025, "municipality": municipality.pk, "value": "1"})
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.value == Decimal("60")
    # The catalogue: a definition used in 2025 keeps its formula; it may only be ended and followed by a new one.
    d1 = Indicator.objects.valid_in(2025).get(code="D1")
    d1.numerator = "staff"
    with pytest.raises(ValidationError):
        d1.save()
    d1.refresh_from_db()
    d1.valid_to = 2025
    d1.save()
    # Next year is open.
    Target.objects.create(indicator_code="D1", year=2026, municipality=municipality, value=Decimal("65"))


def test_admin_rollover_action_shows_a_preview_first(year_2025, admin_user, client):
    client.force_login(admin_user)
    url = reverse("admin:monitoring_monitoringyear_changelist")
    response = client.post(url, {"action": "prepare_next_year", "_selected_action": [year_2025.pk]})
    assert response.status_code == 200 and 'data-testid="year-preview"' in response.content.decode()
    assert not MonitoringYear.objects.filter(year=2026).exists()
    client.post(url, {"action": "prepare_next_year", "_selected_action": [year_2025.pk], "apply": "1"})
    assert MonitoringYear.objects.filter(year=2026).exists()


def test_targets_of_a_year_are_set_on_one_page_all_or_nothing(year_2025, municipality, school_a, admin_user, client):
    client.force_login(admin_user)
    url = reverse("admin:indicators_target_year") + f"?municipality={municipality.pk}&year=2025"
    page = client.get(url).content.decode()
    assert 'name="t-D1-0"' in page and 'value="60"' in page and f'name="t-D1-{school_a.cluster_id}"' in page
    # One bad cell: nothing is saved.
    response = client.post(url, {"t-D1-0": "65", "t-M1-0": "много"})
    assert response.status_code == 200 and "не число" in response.content.decode()
    assert Target.objects.get(indicator_code="D1", year=2025, cluster__isnull=True).value == Decimal("60")
    # Good cells: changed, added, and an emptied cluster cell removes its target.
    client.post(url, {"t-D1-0": "65", "t-M1-0": "40,5", f"t-D1-{school_a.cluster_id}": ""})
    assert Target.objects.get(indicator_code="D1", year=2025, cluster__isnull=True).value == Decimal("65")
    assert Target.objects.get(indicator_code="M1", year=2025, cluster__isnull=True).value == Decimal("40.5")
    assert not Target.objects.filter(indicator_code="D1", year=2025, cluster=school_a.cluster).exists()
    # A closed year is shown read-only and a POST changes nothing.
    YearClosure.objects.create(municipality=municipality, year=2025, closed_by=admin_user)
    assert "только для чтения" in client.get(url).content.decode()
    client.post(url, {"t-D1-0": "1"})
    assert Target.objects.get(indicator_code="D1", year=2025, cluster__isnull=True).value == Decimal("65")
