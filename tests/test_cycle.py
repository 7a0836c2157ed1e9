"""The management cycle: the 2.2 table matches the records, the self-check, seed 000's content, recommendations
visible to their addressees only, effectiveness against the engine."""
from datetime import date

from django.urls import reverse

from indicators.models import Direction, Target
from monitoring import cycle
from monitoring import models as mm
from monitoring.calendar import create_year_with_defaults
from teachers import models as m

from .cycle_support import cycle_sample
from .factories import make_teacher

MODELS = [mm.Goal, mm.Method, mm.Analysis, mm.Recommendation, mm.Measure, mm.Decision, mm.EffectivenessReview]


def test_table_rows_hold_the_records_and_the_self_check(school_a):
    create_year_with_defaults(school_a.municipality, 2025)
    first = Direction.objects.order_by("order").first()
    rows = cycle.table(school_a.municipality, 2025)
    row = next(r for r in rows if r.direction == first)
    # Indicators come from the catalogue and monitoring from the calendar; nothing else yet.
    assert sorted(row.missing) == sorted(t for k, t in cycle.STEPS if k not in ("indicators", "monitoring"))
    for model in MODELS:
        cycle_sample(model, school_a)
    rows = cycle.table(school_a.municipality, 2025)
    row = next(r for r in rows if r.direction == first)
    assert row.complete
    assert row.cells["goals"][0].text == "Выявление профессиональных дефицитов"
    # The other directions have their indicators and windows but none of the records.
    other = next(r for r in rows if r.direction != first and r.cells.get("indicators"))
    assert not other.complete and "Цели" in other.missing
    # A record without a direction counts for every direction.
    mm.Decision.objects.create(municipality=school_a.municipality, year=2025, text="Общее решение",
                               decided_on=date(2025, 9, 1))
    rows = cycle.table(school_a.municipality, 2025)
    assert all(any(d.text == "Общее решение" for d in r.cells.get("decisions", [])) for r in rows)
    # Another year or municipality shows none of it.
    assert not any(r.cells.get("goals") for r in cycle.table(school_a.municipality, 2024))


def test_table_page_shows_the_records(client, methodologist, school_a):
    for model in MODELS:
        cycle_sample(model, school_a)
    client.force_login(methodologist)
    page = client.get(reverse("cycle-table") + "?year=2025").content.decode()
    for text in ("Выявление профессиональных дефицитов", "Опрос, анализ документов", "Анализ диагностики",
                 "Закрепить наставников", "Семинар для молодых педагогов", "Меры эффективны", "полный цикл"):
        assert text in page, text


def test_table_query_count_does_not_grow(client, methodologist, school_a, django_assert_max_num_queries):
    client.force_login(methodologist)
    for model in MODELS:
        cycle_sample(model, school_a)
    url = reverse("cycle-table") + "?year=2025"
    with django_assert_max_num_queries(25) as first:
        client.get(url)
    for _ in range(4):
        for model in MODELS:
            cycle_sample(model, school_a)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url)


def test_seed_000_loads_as_the_cycle(school_a):
    cycle.load_seed(school_a.municipality, 2025, full=True)
    assert mm.Goal.objects.filter(year=2025).count() == 7
    assert mm.Measure.objects.filter(year=2025).count() == 7
    goal = mm.Goal.objects.get(text__startswith="Выявление профессиональных дефицитов")
    assert goal.direction.code == "deficits" and goal.regional_agreement == "yes"
    staffing = mm.Goal.objects.filter(direction__code="staffing")
    assert staffing.exists()
    rec = mm.Recommendation.objects.first()
    assert list(rec.schools.all()) == [school_a]
    rows = cycle.table(school_a.municipality, 2025)
    create_year_with_defaults(school_a.municipality, 2025)
    rows = cycle.table(school_a.municipality, 2025)
    complete = {r.direction.code for r in rows if r.complete}
    assert {"deficits", "mastery", "young", "network", "staffing"} <= complete
    # Reloading replaces, never duplicates.
    cycle.load_seed(school_a.municipality, 2025, full=True)
    assert mm.Goal.objects.filter(year=2025).count() == 7
    # Start of a year: goals and methods only.
    cycle.load_seed(school_a.municipality, 2026, full=False)
    assert not mm.Analysis.objects.filter(year=2026).exists() and mm.Goal.objects.filter(year=2026).count() == 7


def test_recommendations_are_seen_by_their_addressees_only(client, personas, school_a, school_b):
    to_a = cycle_sample(mm.Recommendation, school_a)
    to_cluster_b = mm.Recommendation.objects.create(municipality=school_a.municipality, year=2025,
                                                    text="Кластеру МКШ", cluster=school_b.cluster)
    teacher_b = make_teacher(school_b, last_name="Адресатова")
    to_teacher_b = mm.Recommendation.objects.create(municipality=school_a.municipality, year=2025,
                                                    text="Лично педагогу")
    to_teacher_b.teachers.set([teacher_b])
    seen = {}
    for who in ("head_a", "head_b", "methodologist", "viewer"):
        client.force_login(personas[who])
        page = client.get(reverse("recommendation-list")).content.decode()
        seen[who] = {r.text for r in (to_a, to_cluster_b, to_teacher_b) if r.text in page}
    assert seen["head_a"] == {"Закрепить наставников"}
    assert seen["head_b"] == {"Кластеру МКШ", "Лично педагогу"}
    assert seen["methodologist"] == seen["viewer"] == {"Закрепить наставников", "Кластеру МКШ", "Лично педагогу"}
    client.force_login(personas["head_b"])
    assert client.get(reverse("recommendation-detail", args=[to_a.pk])).status_code == 404


def test_heads_read_but_do_not_write_the_cycle(client, personas, school_a):
    goal = cycle_sample(mm.Goal, school_a)
    client.force_login(personas["head_a"])
    assert client.get(reverse("goal-detail", args=[goal.pk])).status_code == 200
    assert client.post(reverse("goal-delete", args=[goal.pk])).status_code == 403
    assert client.get(reverse("goal-create")).status_code == 403
    assert mm.Goal.objects.filter(pk=goal.pk).exists()


def test_methodologist_adds_a_goal_with_history(client, methodologist, school_a):
    client.force_login(methodologist)
    direction = Direction.objects.order_by("order").first()
    response = client.post(reverse("goal-create"), {
        "municipality": school_a.municipality.pk, "year": 2026, "direction": direction.pk,
        "text": "Довести долю прошедших диагностику до 60 %", "regional_agreement": "yes"})
    assert response.status_code == 302
    goal = mm.Goal.objects.get(year=2026)
    assert goal.history.first().history_user == methodologist


def test_effectiveness_review_judges_targets_by_the_engine(school_a):
    # 4 main staff at school A in 2025, 1 diagnosed: D1 = 25 %.
    teachers = [make_teacher(school_a, hired=date(2020, 9, 1)) for _ in range(4)]
    from .factories import CampaignFactory

    campaign = CampaignFactory(municipality=school_a.municipality, start_date=date(2025, 4, 1),
                               end_date=date(2025, 4, 20))
    m.DiagnosticResult.objects.create(campaign=campaign, teacher=teachers[0])
    Target.objects.create(indicator_code="D1", municipality=school_a.municipality, year=2025, value=20)
    Target.objects.create(indicator_code="M1", municipality=school_a.municipality, year=2025, value=50)
    review = cycle.review_effectiveness(cycle_sample(mm.EffectivenessReview, school_a))  # the first direction
    values = {v["code"]: v for v in mm.EffectivenessReview.objects.get(pk=review.pk).values}
    assert values["D1"]["actual"] == "25.0" and values["D1"]["reached"] is True
    assert set(values) == {"D1"}  # M1 belongs to another direction
    review.direction = None
    cycle.review_effectiveness(review)
    values = {v["code"]: v for v in review.values}
    assert values["M1"]["actual"] == "0.0" and values["M1"]["reached"] is False
    assert set(values) == {"D1", "M1"}


def _diagnosed_quarter(school_a):
    """4 main staff at school A in 2025, 1 diagnosed (D1 = 25 %), and a district D1 target of 20 for 2025."""
    from .factories import CampaignFactory

    teachers = [make_teacher(school_a, hired=date(2020, 9, 1)) for _ in range(4)]
    campaign = CampaignFactory(municipality=school_a.municipality, start_date=date(2025, 4, 1),
                               end_date=date(2025, 4, 20))
    m.DiagnosticResult.objects.create(campaign=campaign, teacher=teachers[0])
    Target.objects.create(indicator_code="D1", municipality=school_a.municipality, year=2025, value=20)


def test_saving_a_review_does_not_run_the_engine(school_a, monkeypatch):
    # The admin's form, fixtures and loaddata save a review as it is; only the action computes its values.
    def engine(*args, **kwargs):
        raise AssertionError("the engine ran on save()")

    monkeypatch.setattr(cycle, "compute", engine)
    review = cycle_sample(mm.EffectivenessReview, school_a)
    review.conclusions = "Меры частично эффективны"
    review.save()
    assert mm.EffectivenessReview.objects.get(pk=review.pk).values == []


def test_the_admin_saves_a_review_without_the_engine_and_recalculates_by_action(client, admin_user, school_a):
    _diagnosed_quarter(school_a)
    review = cycle_sample(mm.EffectivenessReview, school_a)
    client.force_login(admin_user)
    response = client.post(reverse("admin:monitoring_effectivenessreview_changelist"), {
        "action": "recalculate_reviews", "_selected_action": [review.pk]})
    assert response.status_code == 302
    review.refresh_from_db()
    assert [(v["code"], v["actual"], v["reached"]) for v in review.values] == [("D1", "25.0", True)]


def test_the_methodologist_creates_a_review_with_its_values_and_recalculates_it(client, methodologist, school_a):
    _diagnosed_quarter(school_a)
    client.force_login(methodologist)
    direction = Direction.objects.order_by("order").first()
    response = client.post(reverse("review-create"), {
        "municipality": school_a.municipality.pk, "year": 2025, "direction": direction.pk,
        "reviewed_on": "20.12.2025", "conclusions": "Меры эффективны"})
    assert response.status_code == 302
    review = mm.EffectivenessReview.objects.get()
    assert [(v["code"], v["reached"]) for v in review.values] == [("D1", True)]
    assert review.history.count() == 1  # one save: the values are filled before it, not by a second write
    page = client.get(reverse("review-detail", args=[review.pk])).content.decode()
    assert 'data-testid="recalculate"' in page
    # The target is raised afterwards: the stored values keep the old verdict until «Пересчитать».
    Target.objects.filter(indicator_code="D1").update(value=30)
    review.refresh_from_db()
    assert review.values[0]["reached"] is True
    response = client.post(reverse("review-recalculate", args=[review.pk]), follow=True)
    assert "Целевые и фактические значения пересчитаны." in response.content.decode()
    review.refresh_from_db()
    assert float(review.values[0]["target"]) == 30 and review.values[0]["reached"] is False


def test_heads_and_viewers_cannot_recalculate_a_review(client, head_a, viewer, school_a):
    review = cycle_sample(mm.EffectivenessReview, school_a)
    for user in (head_a, viewer):
        client.force_login(user)
        assert client.post(reverse("review-recalculate", args=[review.pk])).status_code == 403
        assert 'data-testid="recalculate"' not in client.get(reverse("review-detail", args=[review.pk])).content.decode()
    assert mm.EffectivenessReview.objects.get(pk=review.pk).values == []


def test_analysis_and_review_pages_show_the_numbers(client, methodologist, school_a):
    teachers = [make_teacher(school_a, hired=date(2020, 9, 1)) for _ in range(4)]
    from .factories import CampaignFactory

    campaign = CampaignFactory(municipality=school_a.municipality, start_date=date(2025, 4, 1),
                               end_date=date(2025, 4, 20))
    m.DiagnosticResult.objects.create(campaign=campaign, teacher=teachers[0])
    Target.objects.create(indicator_code="D1", municipality=school_a.municipality, year=2025, value=20)
    analysis = cycle_sample(mm.Analysis, school_a)  # the first direction, 2025
    review = cycle.review_effectiveness(cycle_sample(mm.EffectivenessReview, school_a))
    client.force_login(methodologist)
    page = client.get(reverse("analysis-detail", args=[analysis.pk])).content.decode()
    assert 'data-testid="analysis-values"' in page and "25,0\u00a0%" in page and "D2" in page and "M1" not in page
    page = client.get(reverse("review-detail", args=[review.pk])).content.decode()
    assert 'data-testid="review-values"' in page and "25,0\u00a0%" in page and "да" in page


def test_a_closed_years_review_is_not_recalculated_on_its_page_or_in_the_admin(client, methodologist, admin_user,
                                                                              school_a):
    """A closed year's review keeps the values its documents were signed with: the button is gone, a forged POST
    and the admin action change nothing (the admin says how many it skipped)."""
    from indicators.models import YearClosure

    _diagnosed_quarter(school_a)
    review = cycle_sample(mm.EffectivenessReview, school_a)
    YearClosure.objects.create(municipality=school_a.municipality, year=2025)
    client.force_login(methodologist)
    assert 'data-testid="recalculate"' not in client.get(reverse("review-detail", args=[review.pk])).content.decode()
    response = client.post(reverse("review-recalculate", args=[review.pk]), follow=True)
    assert response.status_code == 200 and "закрыт" in response.content.decode().lower()
    assert mm.EffectivenessReview.objects.get(pk=review.pk).values == []
    client.force_login(admin_user)
    response = client.post(reverse("admin:monitoring_effectivenessreview_changelist"), {
        "action": "recalculate_reviews", "_selected_action": [review.pk]}, follow=True)
    assert "Закрытый год, не изменены: 1." in response.content.decode()
    assert mm.EffectivenessReview.objects.get(pk=review.pk).values == []


def test_another_districts_methodologist_cannot_recalculate_a_review(client, school_a, other_municipality):
    from .factories import UserFactory

    review = cycle_sample(mm.EffectivenessReview, school_a)
    stranger = UserFactory(username="metod2", role=m.Role.METHODOLOGIST, municipality=other_municipality)
    client.force_login(stranger)
    assert client.post(reverse("review-recalculate", args=[review.pk])).status_code == 404
    assert client.post(reverse("review-recalculate", args=[10**9])).status_code == 404
    assert mm.EffectivenessReview.objects.get(pk=review.pk).values == []
