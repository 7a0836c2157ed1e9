"""Form pages cost the same in a village school and in a city: every foreign key to a growing table is a picker
that renders only the chosen option, and the picker's endpoint answers exactly the form's own choices."""
import json
import re
from datetime import date

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teachers import models as m
from teachers import pickers
from teachers.naming import natural_key, natural_order, natural_sorted
from teachers.views.pickers import FORMS, may_pick

from .cycle_support import cycle_sample
from .factories import AppointmentFactory, CampaignFactory, SchoolFactory, make_teacher
from .test_pages_records import sample
from .test_permission_matrix import crud_names

from monitoring.views.cycle import SPECS as CYCLE_SPECS
from teachers.views.records import SPECS

PAGE_LIMIT = 40_000  # bytes: a form page with its menu, never a table's worth of options


def _objects(school):
    objects = {"school": school, "teacher": make_teacher(school)}
    for spec in SPECS:
        objects[spec.name] = sample(spec.model, school)
    for spec in CYCLE_SPECS:
        objects[spec.name] = cycle_sample(spec.model, school)
    return objects


def _grow(schools, times=4):
    """More of every kind of record, at every school given."""
    for _ in range(times):
        for school in schools:
            _objects(school)


def _measure(client, urls):
    out = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        out[url] = (len(queries), len(response.content), [q["sql"][:150] for q in queries.captured_queries])
    return out


@pytest.mark.parametrize("persona", ["methodologist", "head_a"])
def test_form_pages_cost_the_same_whatever_the_district_size(client, persona, personas, school_a, school_b):
    user = personas[persona]
    client.force_login(user)
    own = _objects(school_a)
    _objects(school_b)
    urls = []
    for name in sorted(crud_names()):
        for url in (reverse(f"{name}-create"), reverse(f"{name}-update", args=[own[name].pk])):
            if client.get(url).status_code == 200:
                urls.append(url)
    assert len(urls) >= (30 if persona == "methodologist" else 20), urls
    small = _measure(client, urls)
    _grow([school_a, school_b])
    big = _measure(client, urls)
    problems = []
    for url in urls:
        (n_small, size_small, _), (n_big, size_big, sql) = small[url], big[url]
        if n_big != n_small:
            problems.append(f"{url}: {n_small} → {n_big} queries\n  " + "\n  ".join(sql))
        if size_big > PAGE_LIMIT or abs(size_big - size_small) > 200:
            problems.append(f"{url}: {size_small} → {size_big} bytes")
    assert not problems, "\n".join(problems)


def test_a_picker_renders_only_the_chosen_option(client, methodologist, school_a):
    client.force_login(methodologist)
    route = sample(m.IndividualRoute, school_a)
    for _ in range(5):
        make_teacher(school_a)
    html = client.get(reverse("route-update", args=[route.pk])).content.decode()
    select = re.search(r'<select name="teacher"[^>]*>(.*?)</select>', html, re.S)
    assert 'data-picker-url="/pick/route/teacher/"' in select.group(0)
    options = re.findall(r"<option value=\"(\d*)\"", select.group(1))
    assert options == ["", str(route.teacher_id)]
    assert route.teacher.full_name in select.group(1)
    depends = re.search(r'<select name="diagnostic_result"[^>]*data-picker-depends="([^"]*)"', html)
    assert json.loads(depends.group(1).replace("&quot;", '"')) == {"teacher": "teacher"}


def _pick(client, form, field, **params):
    response = client.get(reverse("picker", args=[form, field]), params)
    return response


def _all_ids(client, form, field, **params):
    ids, page = [], 1
    while True:
        data = _pick(client, form, field, page=page, **params).json()
        ids += [int(r["value"]) for r in data["results"]]
        if not data["next"]:
            return ids
        page += 1


@pytest.mark.parametrize("persona", ["methodologist", "head_a", "admin"])
def test_the_endpoint_answers_exactly_what_the_form_accepts(client, persona, personas, school_a, school_b, school_far):
    """For every picker of every form: the ids the endpoint lists (all pages) are the form field's queryset."""
    user = personas[persona]
    for school in (school_a, school_b, school_far):
        _objects(school)
    departed = make_teacher(school_a, hired=date(2010, 9, 1), dismissed=date(2019, 6, 30))
    AppointmentFactory(teacher=departed, school=school_b, hired=date(2019, 9, 1))
    client.force_login(user)
    checked = 0
    for key, (form_class, page) in FORMS.items():
        if not may_pick(user, form_class, page):
            assert _pick(client, key, next(iter(form_class.base_fields))).status_code in (403, 404)
            continue
        form = form_class(user=user)
        for name, field in form.fields.items():
            if not pickers.wants_picker(field) or field.disabled:
                continue
            if form.picker_depends.get(name):
                continue  # narrowed by another field: test_dependent_pickers
            listed = _all_ids(client, key, name)
            assert len(listed) == len(set(listed)), (key, name)
            assert set(listed) == set(field.queryset.values_list("pk", flat=True)), (key, name)
            checked += 1
    assert checked >= 15, checked


def test_dependent_pickers_list_only_the_chosen_teachers_records(client, methodologist, school_a):
    client.force_login(methodologist)
    mine, other = make_teacher(school_a), make_teacher(school_a)
    results = [m.DiagnosticResult.objects.create(campaign=CampaignFactory(municipality=school_a.municipality),
                                                 teacher=t) for t in (mine, mine, other)]
    data = _pick(client, "route", "diagnostic_result", teacher=mine.pk).json()
    assert {int(r["value"]) for r in data["results"]} == {results[0].pk, results[1].pk}
    assert _pick(client, "route", "diagnostic_result").json() == {
        "results": [], "next": None, "hint": "Сначала выберите: педагог."}
    route = m.IndividualRoute.objects.create(teacher=mine, year=2025, approved_on=date(2025, 3, 1))
    from .factories import EventFactory

    taken = m.Participation.objects.create(event=EventFactory(municipality=school_a.municipality), teacher=mine)
    m.Participation.objects.create(event=EventFactory(municipality=school_a.municipality), teacher=other)
    data = _pick(client, "activity", "participation", route=route.pk).json()
    assert [int(r["value"]) for r in data["results"]] == [taken.pk]


def test_a_head_cannot_list_another_schools_records_through_a_dependency(client, head_a, school_a, school_b):
    client.force_login(head_a)
    theirs = make_teacher(school_b)
    m.DiagnosticResult.objects.create(campaign=CampaignFactory(municipality=school_b.municipality), teacher=theirs)
    assert _pick(client, "route", "diagnostic_result", teacher=theirs.pk).json()["results"] == []
    assert theirs.pk not in _all_ids(client, "route", "teacher", q=theirs.last_name)


def test_people_are_told_apart_by_school_position_and_birth_date(client, methodologist, school_a, school_b):
    client.force_login(methodologist)
    make_teacher(school_a, last_name="Петрова", first_name="Анна", middle_name="Ивановна", birth_date=date(1980, 1, 2))
    make_teacher(school_b, last_name="Петрова", first_name="Анна", middle_name="Ивановна", birth_date=date(1991, 3, 4))
    data = _pick(client, "route", "teacher", q="петрова анна").json()
    assert [r["text"] for r in data["results"]] == ["Петрова Анна Ивановна"] * 2
    assert [r["detail"] for r in data["results"]] == [
        "СОШ №1, учитель · д. р. 02.01.1980", "СОШ №2, учитель · д. р. 04.03.1991"]


def test_a_head_sees_no_birth_date_of_someone_who_left_their_school(client, head_a, school_a, school_b):
    departed = make_teacher(school_a, last_name="Ушедшая", hired=date(2010, 9, 1), dismissed=date(2019, 6, 30))
    AppointmentFactory(teacher=departed, school=school_b, hired=date(2019, 9, 1))
    client.force_login(head_a)
    # The mentor of a mentorship need only be readable: a head may name someone who left for another school.
    [row] = _pick(client, "mentorship", "mentor", q="Ушедшая").json()["results"]
    assert "д. р." not in row["detail"]


def test_the_endpoint_pages_and_refuses_bad_parameters(client, methodologist, viewer, school_a):
    for i in range(pickers.PAGE_SIZE + 3):
        make_teacher(school_a, last_name=f"Сидорова{i:02d}")
    client.force_login(methodologist)
    first = _pick(client, "route", "teacher", q="Сидорова").json()
    assert len(first["results"]) == pickers.PAGE_SIZE and "page=2" in first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 3 and second["next"] is None
    for params, message in (({"page": "x"}, "Номер страницы"), ({"page": "0"}, "Номер страницы"),
                            ({"q": "я" * 101}, "Слишком длинный запрос"),
                            ({"teacher": "abc"}, "ожидается номер")):
        field = "diagnostic_result" if "teacher" in params else "teacher"
        response = _pick(client, "route", field, **params)
        assert response.status_code == 400 and message in response.json()["error"], params
    assert _pick(client, "route", "goal").status_code == 404  # not a picker
    assert _pick(client, "nope", "teacher").status_code == 404
    assert client.post(reverse("picker", args=["route", "teacher"])).status_code == 405
    client.force_login(viewer)
    assert _pick(client, "route", "teacher").status_code == 403


def test_reference_data_stay_ordinary_selects(methodologist):
    from teachers import widgets

    for key, (form_class, _) in FORMS.items():
        form = form_class(user=methodologist)
        for name, field in form.fields.items():
            if isinstance(field, (forms.ModelChoiceField, forms.ModelMultipleChoiceField)) and not field.widget.is_hidden:
                picker = isinstance(field.widget, (widgets.PickerSelect, widgets.PickerSelectMultiple))
                assert picker == (not pickers.is_reference(field.queryset.model)), (key, name)


def test_natural_order_of_school_names(municipality):
    names = ["МБОУ СОШ № 10", "МБОУ СОШ № 4", "МАОУ Гимназия № 5", "МБОУ СОШ № 1", "мбоу сош № 2"]
    assert sorted(names, key=natural_key) == [
        "МАОУ Гимназия № 5", "МБОУ СОШ № 1", "мбоу сош № 2", "МБОУ СОШ № 4", "МБОУ СОШ № 10"]
    for name in names:
        SchoolFactory(short_name=name, municipality=municipality)
    ordered = [s.short_name for s in natural_order(m.School.objects.all())]
    assert ordered == sorted(names, key=natural_key)
    assert [s.short_name for s in natural_sorted(m.School.objects.all())] == ordered


def test_school_list_and_teacher_filter_in_natural_order(client, methodologist, municipality):
    for name in ("МБОУ СОШ № 10", "МБОУ СОШ № 4", "МБОУ СОШ № 1"):
        SchoolFactory(short_name=name, municipality=municipality)
    client.force_login(methodologist)
    for url in ("/schools/", "/teachers/"):
        html = client.get(url).content.decode()
        positions = [html.index(n) for n in ("МБОУ СОШ № 1<", "МБОУ СОШ № 4<", "МБОУ СОШ № 10<")]
        assert positions == sorted(positions), url
    html = client.get("/schools/?sort=-short_name").content.decode()
    positions = [html.index(n) for n in ("МБОУ СОШ № 10<", "МБОУ СОШ № 4<", "МБОУ СОШ № 1<")]
    assert positions == sorted(positions)
