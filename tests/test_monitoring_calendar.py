from datetime import date
from io import StringIO

from django.core.management import call_command

from monitoring.calendar import advance, create_year_with_defaults, overview
from monitoring.models import MonitoringYear, ReportingPeriod, Stage
from monitoring.models.calendar import State


def test_defaults_follow_the_seeds(municipality):
    my = create_year_with_defaults(municipality, 2025)
    stages = {s.kind: (s.start, s.end) for s in my.stages.all()}
    assert stages == {
        "initial": (date(2025, 3, 1), date(2025, 4, 1)),
        "main": (date(2025, 4, 1), date(2025, 6, 1)),
        "final": (date(2025, 6, 1), date(2025, 7, 1)),
    }
    windows = {(w.direction.code, w.start.month, w.end.month) for w in my.windows.all()}
    assert ("young", 8, 9) in windows and ("network", 12, 12) in windows and ("network", 5, 5) in windows
    assert ("staffing", 6, 8) in windows and ("deficits", 4, 5) in windows
    q1 = my.periods.get(quarter=1)
    assert (q1.start, q1.end, q1.deadline) == (date(2025, 1, 1), date(2025, 3, 31), date(2025, 4, 10))
    create_year_with_defaults(municipality, 2025)  # idempotent
    assert my.stages.count() == 3 and my.periods.count() == 4


def test_current_stage_and_what_is_due(municipality):
    create_year_with_defaults(municipality, 2025)
    now = overview(municipality, date(2025, 4, 5))
    assert now.current_stage.kind == Stage.Kind.MAIN
    assert [p.quarter for p, days in now.due_periods] == [1]
    assert now.due_periods[0][1] == 5
    assert {w.direction.code for w in now.active_windows} == {"deficits", "mastery"}
    later = overview(municipality, date(2025, 4, 20))
    assert [p.quarter for p in later.overdue_periods] == [1]
    assert overview(municipality, date(2030, 1, 1)).year is None


def test_advance_moves_states_by_date_and_is_idempotent(municipality):
    create_year_with_defaults(municipality, 2025)
    assert advance(date(2025, 4, 15)) > 0
    assert advance(date(2025, 4, 15)) == 0
    assert Stage.objects.get(kind="initial").state == State.CLOSED
    assert Stage.objects.get(kind="main").state == State.ACTIVE
    assert Stage.objects.get(kind="final").state == State.PLANNED
    assert ReportingPeriod.objects.get(quarter=2).state == State.ACTIVE
    out = StringIO()
    call_command("advance_monitoring", "--date", "2025-07-02", stdout=out)
    assert Stage.objects.get(kind="final").state == State.CLOSED and "изменено" in out.getvalue()


def test_calendar_page_for_every_role_and_creation_by_admin_only(client, personas, municipality):
    create_year_with_defaults(municipality, 2025)
    for persona in ("methodologist", "head_a", "viewer"):
        client.force_login(personas[persona])
        response = client.get("/monitoring/calendar/", {"year": 2025})
        assert response.status_code == 200 and "основной" in response.content.decode().lower()
        assert client.post("/monitoring/calendar/create/", {"year": 2026}).status_code == 403
    client.force_login(personas["admin"])
    response = client.post("/monitoring/calendar/create/", {"year": 2026, "municipality": municipality.pk})
    assert response.status_code == 302
    assert MonitoringYear.objects.filter(municipality=municipality, year=2026).exists()


def test_home_shows_what_is_current(client, methodologist, municipality):
    from django.utils import timezone

    create_year_with_defaults(municipality, timezone.localdate().year)
    client.force_login(methodologist)
    assert 'data-testid="calendar-now"' in client.get("/").content.decode()


def test_calendar_is_scoped(client, methodologist, other_municipality):
    create_year_with_defaults(other_municipality, 2025)
    client.force_login(methodologist)
    assert client.get("/monitoring/calendar/", {"municipality": other_municipality.pk}).status_code == 404
