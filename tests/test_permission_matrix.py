"""Role × URL × method → status, generated from the URL conf (see tests/permission_matrix.py)."""
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from teachers import models as m
from monitoring.views.cycle import SPECS as CYCLE_SPECS
from teachers.views.records import SPECS

from .cycle_support import cycle_sample
from .factories import UserFactory, make_teacher
from .permission_matrix import CRUD_EXCEPTIONS, PERSONAS, REGISTRY, RULES
from .test_auth_roles import iter_patterns
from .test_pages_records import sample

CRUD_ACTIONS = ("list", "detail", "create", "update", "delete")


def crud_names():
    return {"school", "teacher"} | {spec.name for spec in SPECS} | {spec.name for spec in CYCLE_SPECS}


def split(name):
    for crud in sorted(crud_names(), key=len, reverse=True):
        for action in CRUD_ACTIONS:
            if name == f"{crud}-{action}":
                return crud, action
    return None, None


def all_url_names():
    return [p.name for _, p in iter_patterns()]


def test_every_url_is_in_the_matrix():
    uncovered = [n for n in all_url_names() if split(n)[0] is None and n not in REGISTRY]
    assert not uncovered, f"URL patterns without expected statuses in tests/permission_matrix.py: {uncovered}"


@pytest.fixture
def world(db, personas, school_a, school_far):
    clients = {"anon": Client()}
    far = UserFactory(username="far", role=m.Role.METHODOLOGIST, municipality=school_far.municipality)
    users = dict(personas, far=far)
    for name in PERSONAS[1:]:
        clients[name] = Client()
        clients[name].force_login(users[name])
    objects = {"school": school_a, "teacher": make_teacher(school_a)}
    for spec in SPECS:
        objects[spec.name] = sample(spec.model, school_a)
    for spec in CYCLE_SPECS:
        objects[spec.name] = cycle_sample(spec.model, school_a)
    from monitoring.calendar import create_year_with_defaults
    from monitoring.school_reports import report_for

    period = create_year_with_defaults(school_a.municipality, 2026).periods.get(quarter=1)
    objects["report"] = report_for(personas["head_a"], school_a, period)
    from reports.models import Job
    from reports.tasks import build_document

    objects["job"] = Job.objects.create(owner=personas["head_a"], kind="vacancies", fmt="xlsx",
                                        params={"municipality": school_a.municipality_id}, title="База вакансий")
    build_document(objects["job"].pk)
    from teachers.models import ImportLog

    objects["import_log"] = ImportLog.objects.create(user=personas["head_a"], school=school_a, school_name=str(school_a),
                                                      file_name="штат.xlsx", rows=1)
    return clients, objects, school_a


def kwargs_for(kind, objects, school):
    if kind is None:
        return {}, ""
    if kind == "cluster":
        return {"municipality_id": school.municipality_id, "cluster_id": school.cluster_id}, ""
    if kind == "school":
        return {"pk": school.pk}, ""
    if kind == "explain":
        return {}, f"&code=D1&level=school&key={school.pk}"
    if kind == "import_log":
        return {"pk": objects["import_log"].pk}, ""
    if kind == "import_kind":
        return {"kind": "diagnostics"}, ""
    if kind in ("campaign", "event"):
        from teachers.models import DiagnosticCampaign, Event

        model = DiagnosticCampaign if kind == "campaign" else Event
        return {"pk": model.objects.filter(school__isnull=True).first().pk}, ""
    if kind == "job":
        return {"pk": objects["job"].pk}, ""
    if kind == "report":
        return {"school_id": school.pk, "period_id": objects["report"].period_id}, ""
    if kind == "picker":
        return {"form": "route", "field": "teacher"}, ""
    if kind in ("recommendation", "review"):
        return {"pk": objects[kind].pk}, ""
    if kind == "survey":
        if "survey" not in objects:
            from teachers.surveys import open_survey

            head = m.User.objects.get(username="head_a")
            objects["survey"] = open_survey(head, title="Анкета", year=2026, opens_on=timezone.localdate(),
                                            closes_on=timezone.localdate(), school=school)
        return {"pk": objects["survey"].pk}, ""
    if kind == "survey_link":
        survey = kwargs_for("survey", objects, school)[0]["pk"]
        invitation = m.SurveyInvitation.objects.filter(survey_id=survey).order_by("pk").first()
        return {"pk": survey, "invitation_pk": invitation.pk}, ""
    if kind == "token":
        return {"token": "unknown-token"}, ""
    if kind == "reset_link":
        return {"uidb64": "MQ", "token": "invalid-token"}, ""
    raise AssertionError(kind)


def check(clients, method, url, expected, data=None):
    problems = []
    for persona, status in expected.items():
        response = getattr(clients[persona], method.lower())(url, data or {})
        if response.status_code != status:
            problems.append(f"{method} {url} as {persona}: {response.status_code}, expected {status}")
    return problems


def test_crud_matrix(world):
    clients, objects, _ = world
    problems = []
    for name in all_url_names():
        crud, action = split(name)
        if crud is None:
            continue
        obj = objects[crud]
        url = reverse(name, args=[obj.pk]) if action in ("detail", "update", "delete") else reverse(name)
        expected = CRUD_EXCEPTIONS.get(crud, {}).get(action, RULES[action])
        problems += check(clients, "GET", url, expected)
        if action in ("list", "detail"):
            problems += check(clients, "POST", url, {p: (302 if p == "anon" else 405) for p in expected})
    assert not problems, "\n".join(problems)


def test_refused_writes_change_nothing(world):
    clients, objects, _ = world
    problems = []
    for crud in sorted(crud_names()):
        obj = objects[crud]
        model = type(obj)
        for persona in ("viewer", "head_b", "far"):
            response = clients[persona].post(reverse(f"{crud}-delete", args=[obj.pk]))
            if response.status_code not in (403, 404):
                problems.append(f"delete {crud} as {persona}: {response.status_code}")
        if not model.objects.filter(pk=obj.pk).exists():
            problems.append(f"{crud} was deleted by a refused request")
    assert not problems, "\n".join(problems)


def test_registry_matrix(world):
    clients, objects, school = world
    problems = []
    names = set(all_url_names())
    for name, (kind, query, methods) in REGISTRY.items():
        assert name in names, f"{name} is in the registry but not in the URL conf"
        kwargs, extra = kwargs_for(kind, objects, school)
        url = reverse(name, kwargs=kwargs)
        params = "&".join(p for p in (query.lstrip("?"), extra.lstrip("&")) if p)
        url += f"?{params}" if params else ""
        if name == "logout":
            continue  # logging out ends the session the other checks need: test_logout_is_post_only
        for method, expected in methods.items():
            problems += check(clients, method, url, expected)
    assert not problems, "\n".join(problems)


def test_logout_is_post_only(world):
    clients, _, _ = world
    assert clients["viewer"].get(reverse("logout")).status_code == 405
    assert clients["viewer"].post(reverse("logout")).status_code == 302
    assert clients["viewer"].get(reverse("home")).status_code == 302
