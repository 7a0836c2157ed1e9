"""People who work at two schools: what a head may see, change and delete (DESIGN §7, teachers.scoping).

The persona: head_a, whose school A shares a teacher with school B (main job at B, external part-time post at
A). Every form of the data-entry pages is POSTed with each of its foreign keys swapped for a record of school B
or of another municipality (the tamper list is generated from the forms, so a new form cannot be left out).
"""
from datetime import date

import pytest
from django import forms
from django.urls import resolve, reverse

from monitoring.views.cycle import SPECS as CYCLE_SPECS
from teachers import models as m
from teachers import scoping
from teachers.views.records import SPECS

from .cycle_support import cycle_sample
from .factories import AppointmentFactory, CampaignFactory, TeacherFactory, UserFactory, make_teacher
from .import_support import snils_with_checksum
from .test_pages_bulk import results_post
from .test_pages_records import sample


@pytest.fixture
def shared(db, school_a, school_b):
    """Ковалёва: main job at B since 2010, external part-timer at A since 2020, with B's records."""
    teacher = TeacherFactory(last_name="Ковалёва", first_name="Нина", middle_name="Андреевна",
                             birth_date=date(1979, 3, 4), snils=snils_with_checksum(123456789),
                             phone="+7 900 000-00-01", email="kovaleva@example.ru")
    at_b = AppointmentFactory(teacher=teacher, school=school_b, hired=date(2010, 9, 1))
    at_a = AppointmentFactory(teacher=teacher, school=school_a, hired=date(2020, 9, 1),
                              employment=m.Employment.EXTERNAL, weekly_hours=6, rate="0.25")
    result = m.DiagnosticResult.objects.create(campaign=CampaignFactory(municipality=school_b.municipality),
                                               teacher=teacher)
    route = m.IndividualRoute.objects.create(teacher=teacher, year=2025, approved_on=date(2025, 3, 1))
    return teacher, at_a, at_b, result, route


def _teacher_post(teacher, appointments, **overrides):
    """The teacher form's POST: the person's fields and the formset rows given (appointment, {field: value})."""
    data = {
        "last_name": teacher.last_name, "first_name": teacher.first_name, "middle_name": teacher.middle_name,
        "birth_date": teacher.birth_date.strftime("%d.%m.%Y"), "snils": teacher.snils, "gender": teacher.gender,
        "education_level": teacher.education_level_id or "", "category": teacher.category_id or "",
        "email": teacher.email, "phone": teacher.phone,
        "appointments-TOTAL_FORMS": str(len(appointments)), "appointments-INITIAL_FORMS": str(len(appointments)),
        "appointments-MIN_NUM_FORMS": "0", "appointments-MAX_NUM_FORMS": "1000",
    }
    for i, (a, values) in enumerate(appointments):
        row = {"id": a.pk, "teacher": teacher.pk, "school": a.school_id, "position": a.position_id,
               "employment": a.employment, "weekly_hours": a.weekly_hours or "", "rate": a.rate or "",
               "hired": a.hired.strftime("%d.%m.%Y"), "dismissed": ""}
        row.update(values)
        data.update({f"appointments-{i}-{k}": v for k, v in row.items()})
    data.update(overrides)
    return data


def test_head_edits_own_position_of_a_shared_person_and_cannot_touch_identity(client, head_a, shared, school_a):
    teacher, at_a, at_b, _, _ = shared
    client.force_login(head_a)
    page = client.get(reverse("teacher-update", args=[teacher.pk])).content.decode()
    assert 'data-testid="identity-locked"' in page and "СОШ №2" in page  # whom to ask
    assert 'name="last_name"' in page and "disabled" in page.split('name="last_name"')[1].split(">")[0]
    response = client.post(reverse("teacher-update", args=[teacher.pk]), _teacher_post(
        teacher, [(at_a, {"weekly_hours": "9"})], last_name="Подменная", phone="+7 999 999-99-99"))
    assert response.status_code == 302, response.content.decode()[:2000]
    teacher.refresh_from_db()
    at_a.refresh_from_db()
    assert (teacher.last_name, teacher.phone) == ("Ковалёва", "+7 900 000-00-01")
    assert at_a.weekly_hours == 9


def test_tampered_formset_cannot_move_another_schools_position(client, head_a, shared, school_a):
    teacher, at_a, at_b, _, _ = shared
    client.force_login(head_a)
    for tampered in ({"id": at_b.pk, "school": school_a.pk}, {"id": at_b.pk, "dismissed": "01.01.2024"}):
        response = client.post(reverse("teacher-update", args=[teacher.pk]), _teacher_post(
            teacher, [(at_a, {}), (at_b, tampered)]))
        assert response.status_code == 200  # the form is shown again with the error
        at_b.refresh_from_db()
        assert (at_b.school_id, at_b.dismissed) != (school_a.pk, None) or at_b.school_id != school_a.pk
        assert at_b.school_id != school_a.pk and at_b.dismissed is None
    # A new row naming another school's id as its school.
    data = _teacher_post(teacher, [(at_a, {})], **{
        "appointments-TOTAL_FORMS": "2", "appointments-1-school": at_b.school_id,
        "appointments-1-position": at_b.position_id, "appointments-1-employment": "main",
        "appointments-1-hired": "01.09.2026"})
    assert client.post(reverse("teacher-update", args=[teacher.pk]), data).status_code == 200
    assert teacher.appointments.count() == 2


def test_methodologist_may_change_identity_of_a_person_within_the_district(client, methodologist, shared):
    teacher, at_a, at_b, _, _ = shared
    client.force_login(methodologist)
    response = client.post(reverse("teacher-update", args=[teacher.pk]), _teacher_post(
        teacher, [(at_b, {}), (at_a, {})], phone="+7 900 000-00-02"))
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.phone == "+7 900 000-00-02"


def test_head_delete_of_a_shared_person_removes_only_own_schools_position(client, head_a, shared):
    teacher, at_a, at_b, result, route = shared
    client.force_login(head_a)
    page = client.get(reverse("teacher-delete", args=[teacher.pk])).content.decode()
    assert "Удалить должности в нашей ОО" in page
    assert client.post(reverse("teacher-delete", args=[teacher.pk])).status_code == 302
    assert m.Teacher.objects.filter(pk=teacher.pk).exists()
    assert not m.Appointment.objects.filter(pk=at_a.pk).exists()
    assert m.Appointment.objects.filter(pk=at_b.pk).exists()
    assert m.DiagnosticResult.objects.filter(pk=result.pk).exists()
    assert m.IndividualRoute.objects.filter(pk=route.pk).exists()
    # The person no longer works at A: the head may not change or delete anything of theirs now.
    assert client.get(reverse("teacher-update", args=[teacher.pk])).status_code == 404


def test_head_deletes_a_person_who_worked_only_at_their_school(client, head_a, school_a):
    teacher = make_teacher(school_a)
    client.force_login(head_a)
    assert client.post(reverse("teacher-delete", args=[teacher.pk])).status_code == 302
    assert not m.Teacher.objects.filter(pk=teacher.pk).exists()


def test_a_school_the_person_left_keeps_read_access_only(client, head_a, school_a, school_b):
    teacher = make_teacher(school_a, hired=date(2012, 9, 1), dismissed=date(2020, 6, 30))
    AppointmentFactory(teacher=teacher, school=school_b, hired=date(2020, 9, 1))
    result = m.DiagnosticResult.objects.create(campaign=CampaignFactory(municipality=school_a.municipality),
                                               teacher=teacher)
    client.force_login(head_a)
    assert client.get(reverse("teacher-detail", args=[teacher.pk])).status_code == 200
    assert client.get(reverse("result-detail", args=[result.pk])).status_code == 200
    for url in (reverse("teacher-update", args=[teacher.pk]), reverse("teacher-delete", args=[teacher.pk]),
                reverse("result-update", args=[result.pk]), reverse("result-delete", args=[result.pk])):
        assert client.get(url).status_code == 403, url
        assert client.post(url).status_code == 403, url
    assert m.Teacher.objects.filter(pk=teacher.pk).exists() and m.DiagnosticResult.objects.filter(pk=result.pk).exists()


def test_new_card_with_the_snils_of_another_schools_person(client, head_a, shared, school_a):
    teacher, *_ = shared
    client.force_login(head_a)
    position = m.Position.objects.first()
    base = {"gender": "", "education_level": "", "category": "", "email": "", "phone": "",
            "appointments-TOTAL_FORMS": "1", "appointments-INITIAL_FORMS": "0", "appointments-MIN_NUM_FORMS": "0",
            "appointments-MAX_NUM_FORMS": "1000", "appointments-0-school": school_a.pk,
            "appointments-0-position": position.pk, "appointments-0-employment": "external",
            "appointments-0-hired": "01.09.2026"}
    other = snils_with_checksum(555444333)
    stranger = TeacherFactory(last_name="Чужая", first_name="Анна", snils=other, phone="+7 111")
    AppointmentFactory(teacher=stranger, school=teacher.appointments.exclude(school=school_a).first().school)
    # A different name with a taken number: refused, and nothing about the holder is said.
    response = client.post(reverse("teacher-create"), {**base, "last_name": "Петрова", "first_name": "Ольга",
                                                       "birth_date": "01.01.1990", "snils": other})
    page = response.content.decode()
    assert response.status_code == 200 and "недоступна" in page
    assert "Чужая" not in page and "+7 111" not in page
    # The same person (an external part-timer being hired): the position is added, the card is not duplicated.
    count = m.Teacher.objects.count()
    response = client.post(reverse("teacher-create"), {**base, "last_name": "ЧУЖАЯ", "first_name": "анна",
                                                       "middle_name": "Петровна", "birth_date": "17.05.1980",
                                                       "snils": other, "phone": "+7 222"})
    assert response.status_code == 302
    assert m.Teacher.objects.count() == count
    stranger.refresh_from_db()
    assert stranger.phone == "+7 111" and stranger.last_name == "Чужая"
    assert stranger.appointments.filter(school=school_a, hired=date(2026, 9, 1)).exists()
    # A person already on A's staff: the head is told whose card carries the number.
    response = client.post(reverse("teacher-create"), {**base, "last_name": "Иная", "first_name": "Вера",
                                                       "birth_date": "01.01.1990", "snils": teacher.snils})
    assert response.status_code == 200 and "Ковалёва" in response.content.decode()


def test_staged_upload_cannot_be_cancelled_by_another_user(client, head_a, methodologist, school_a, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from teachers.importing import service

    from .import_support import row, xlsx_bytes

    client.force_login(head_a)
    upload = SimpleUploadedFile("штат.xlsx", xlsx_bytes([row()]))
    response = client.post(reverse("staff-import"), {"school": school_a.pk, "file": upload})
    token = response["Location"].rstrip("/").split("/")[-1]
    path = service.staged_path(token)
    assert path.exists()
    from django.test import Client

    other = Client()
    other.force_login(methodologist)
    other.post(reverse("staff-import-cancel", args=[token]))
    assert path.exists()
    assert client.get(reverse("staff-import-preview", args=[token])).status_code == 200


# -- every foreign key of every form, tampered ------------------------------------------------------------------

def _crud_names():
    return ["teacher", "school"] + [s.name for s in SPECS] + [s.name for s in CYCLE_SPECS]


def _post_data(form):
    """What the browser would send back for the form as it is rendered (its initial values)."""
    from decimal import Decimal

    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if isinstance(field, forms.ModelMultipleChoiceField) or isinstance(value, (list, tuple)):
            data[name] = [str(getattr(v, "pk", v)) for v in (value or [])]
        elif isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif value is None:
            data[name] = ""
        elif isinstance(value, date):
            data[name] = value.strftime("%d.%m.%Y")
        elif isinstance(value, Decimal):
            data[name] = format(value, "f")
        else:
            data[name] = str(getattr(value, "pk", value))
    return data


def _formset_data(view, obj):
    if view.view_class.__name__ not in ("TeacherUpdateView", "TeacherCreateView"):
        return {}
    return {"appointments-TOTAL_FORMS": "0", "appointments-INITIAL_FORMS": "0", "appointments-MIN_NUM_FORMS": "0",
            "appointments-MAX_NUM_FORMS": "1000"}


@pytest.fixture
def tamper_world(db, school_a, school_b, school_far, head_a, methodologist, shared):
    """Records of every kind at A (head_a's), at B (which shares Ковалёва with A) and in another municipality."""
    own = {"teacher": make_teacher(school_a), "school": school_a}
    for spec in SPECS:
        own[spec.name] = sample(spec.model, school_a)
    for spec in CYCLE_SPECS:
        own[spec.name] = cycle_sample(spec.model, school_a)
    foreign = {school_b: {}, school_far: {}}
    for school, objects in foreign.items():
        objects["teacher"] = make_teacher(school)
        for spec in SPECS:
            objects[spec.name] = sample(spec.model, school)
        for spec in CYCLE_SPECS:
            objects[spec.name] = cycle_sample(spec.model, school)
    # Someone who left A for B: readable by head_a, writable no longer.
    departed = make_teacher(school_a, hired=date(2010, 9, 1), dismissed=date(2019, 6, 30))
    AppointmentFactory(teacher=departed, school=school_b, hired=date(2019, 9, 1))
    far_user = UserFactory(username="far-head", role=m.Role.SCHOOL_HEAD, school=school_far)
    return own, departed, {"head_a": (head_a, UserFactory(username="b-head", role=m.Role.SCHOOL_HEAD,
                                                         school=school_b), far_user),
                           "methodologist": (methodologist, None, far_user)}


def _targets(model, persona_user, outsiders, departed, owner):
    """Records of `model` the persona must not be able to point a form at."""
    seen = scoping.scoped(persona_user, model.objects.all()).values("pk")
    found = set()
    for outsider in outsiders:  # one record of each outsider's (school B's, the other municipality's) is enough
        if outsider is not None:
            first = scoping.scoped(outsider, model.objects.all()).exclude(pk__in=seen).order_by("pk").first()
            if first is not None:
                found.add(first.pk)
    if owner and model is m.Teacher and scoping.is_school_head(persona_user):  # methodologists keep past staff
        found.add(departed.pk)
    return sorted(found)


@pytest.mark.parametrize("persona", ["head_a", "methodologist"])
def test_every_foreign_key_of_every_form_is_refused_outside_the_write_scope(client, tamper_world, persona):
    own, departed, users = tamper_world
    user, *outsiders = users[persona]
    client.force_login(user)
    problems, checked = [], 0
    for name in _crud_names():
        obj = own[name]
        model = type(obj)
        for action, url in (("update", reverse(f"{name}-update", args=[obj.pk])), ("create", reverse(f"{name}-create"))):
            view = resolve(url).func
            if client.get(url).status_code != 200:
                continue  # the role may not open this form at all (tested by the permission matrix)
            form_class = view.view_class.form_class
            form = form_class(instance=obj if action == "update" else None, user=user)
            base = {**_post_data(form_class(instance=obj, user=user)), **_formset_data(view, obj)}
            owners = scoping.owner_fields(model)
            for field_name, field in form.fields.items():
                if not isinstance(field, (forms.ModelChoiceField, forms.ModelMultipleChoiceField)) or field.disabled:
                    continue
                related = field.queryset.model
                for target in _targets(related, user, outsiders, departed, field_name in owners):
                    before = model.objects.count()
                    value = [str(target)] if isinstance(field, forms.ModelMultipleChoiceField) else str(target)
                    response = client.post(url, {**base, field_name: value})
                    checked += 1
                    if action == "create":
                        stored = model.objects.count() != before
                    elif isinstance(field, forms.ModelMultipleChoiceField):
                        stored = model.objects.filter(pk=obj.pk, **{field_name: target}).exists()
                    else:
                        stored = model.objects.filter(pk=obj.pk, **{f"{field_name}_id": target}).exists()
                    if response.status_code == 302 or stored:
                        problems.append(f"{persona} {action} {name}.{field_name}={related.__name__}#{target}: "
                                        f"{response.status_code}, stored={stored}")
    assert checked > 30, checked
    assert not problems, "\n".join(problems)


def test_the_untampered_forms_save(client, tamper_world):
    """The POST the tamper test starts from is valid: a refusal above is the tampering's doing."""
    own, departed, users = tamper_world
    user = users["head_a"][0]
    client.force_login(user)
    saved = []
    for name in _crud_names():
        obj = own[name]
        url = reverse(f"{name}-update", args=[obj.pk])
        if client.get(url).status_code != 200:
            continue
        view = resolve(url).func
        data = {**_post_data(view.view_class.form_class(instance=obj, user=user)), **_formset_data(view, obj)}
        response = client.post(url, data)
        assert response.status_code == 302, (name, response.content.decode()[:3000])
        saved.append(name)
    assert len(saved) >= 10, saved


# -- the staff import and people outside the importer's scope -------------------------------------------------

def test_import_row_with_the_snils_of_another_schools_person_only_adds_a_position(client, head_a, school_a, school_b,
                                                                                  tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from teachers.importing import apply_import

    from .import_support import row, write, xlsx_bytes

    snils = "11223344595"
    stranger = make_teacher(school_b, last_name="Иванова", first_name="Мария", middle_name="Петровна",
                            birth_date=date(1980, 5, 17), snils=snils, phone="+7 861 000-00-00",
                            email="b-school@example.ru")
    # The preview says a position is added and shows nothing of what B keeps.
    client.force_login(head_a)
    upload = SimpleUploadedFile("штат.xlsx", xlsx_bytes([row(Телефон="+7 999 111-11-11", Категория="высшая")]))
    preview = client.get(client.post(reverse("staff-import"), {"school": school_a.pk, "file": upload})["Location"])
    page = preview.content.decode()
    assert 'data-testid="outside"' in page
    for secret in ("+7 861 000-00-00", "b-school@example.ru", "СОШ №2"):
        assert secret not in page, secret
    log = apply_import(write(tmp_path, [row(Телефон="+7 999 111-11-11", Категория="высшая")]), school_a, head_a,
                       "штат.xlsx")
    assert (log.teachers_created, log.teachers_updated, log.appointments_created) == (0, 0, 1)
    stranger.refresh_from_db()
    assert (stranger.phone, stranger.email, stranger.category.code) == ("+7 861 000-00-00", "b-school@example.ru",
                                                                        "first")
    assert stranger.appointments.filter(school=school_a).exists()


def test_import_row_with_a_taken_snils_and_another_name_is_refused_without_naming_anyone(head_a, school_a,
                                                                                         school_b, tmp_path):
    from teachers.importing import ImportRejected, analyse, apply_import

    from .import_support import row, write

    make_teacher(school_b, last_name="Сидорова", first_name="Ольга", snils="11223344595")
    path = write(tmp_path, [row()])
    plan = analyse(path, school_a, user=head_a)
    assert not plan.ok
    text = " ".join(str(p) for p in plan.problems)
    assert "другими ФИО" in text and "Сидорова" not in text and "СОШ №2" not in text
    with pytest.raises(ImportRejected):
        apply_import(path, school_a, head_a, "штат.xlsx")
    assert not m.Appointment.objects.filter(school=school_a).exists()


def test_import_does_not_change_the_data_of_a_person_another_school_employs(head_a, shared, school_a, tmp_path):
    from teachers.importing import analyse, apply_import

    from .import_support import row, write

    teacher, at_a, *_ = shared
    path = write(tmp_path, [row(ФИО="Ковалёва Нина Андреевна", СНИЛС=teacher.snils, **{
        "Дата рождения": "04.03.1979", "Телефон": "+7 999 000-00-00", "Вид занятости": "внешний совместитель",
        "Дата приёма": "01.09.2020", "Нагрузка, ч/нед": 8, "Ставка": 0.25})])
    plan = analyse(path, school_a, user=head_a)
    assert plan.ok, [str(p) for p in plan.problems]
    group = plan.teachers[0]
    assert group.kept_elsewhere and not group.changed_fields and any(c.label == "Телефон" for c in group.skipped)
    apply_import(path, school_a, head_a, "штат.xlsx")
    teacher.refresh_from_db()
    at_a.refresh_from_db()
    assert teacher.phone == "+7 900 000-00-01" and at_a.weekly_hours == 8


def test_import_does_not_join_a_namesake_outside_the_scope_without_snils(head_a, school_a, school_b, tmp_path):
    from teachers.importing import analyse

    from .import_support import row, write

    make_teacher(school_b, last_name="Иванова", first_name="Мария", middle_name="Петровна",
                 birth_date=date(1980, 5, 17))
    plan = analyse(write(tmp_path, [row(СНИЛС=None)]), school_a, user=head_a)
    assert not plan.ok and "укажите СНИЛС" in " ".join(str(p) for p in plan.problems)


def test_a_school_the_person_left_no_longer_sees_their_contacts(client, head_a, school_a, school_b):
    teacher = make_teacher(school_a, hired=date(2012, 9, 1), dismissed=date(2020, 6, 30), phone="+7 918 555-55-55",
                           snils=snils_with_checksum(987654321))
    AppointmentFactory(teacher=teacher, school=school_b, hired=date(2020, 9, 1))
    client.force_login(head_a)
    page = client.get(reverse("teacher-detail", args=[teacher.pk])).content.decode()
    assert teacher.full_name in page and "+7 918 555-55-55" not in page and "987-654-321" not in page


def test_the_admin_site_is_for_the_admin_role_only(client, methodologist):
    methodologist.is_staff = True  # set by mistake: still no way around the pages' scoping
    methodologist.save()
    client.force_login(methodologist)
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/teachers/teacher/").status_code == 302


# -- bulk pages: every posted id of a person or record outside the head's write scope is refused ----------------

@pytest.fixture
def bulk_world(db, school_a, school_b, shared):
    departed = make_teacher(school_a, hired=date(2010, 9, 1), dismissed=date(2019, 6, 30))
    only_b = make_teacher(school_b)
    campaign = CampaignFactory(municipality=school_a.municipality)
    from .factories import EventFactory

    event = EventFactory(municipality=school_a.municipality)
    activities = {}
    for who in (departed, only_b):
        route = m.IndividualRoute.objects.create(teacher=who, year=2025, approved_on=date(2025, 3, 1))
        activities[who.pk] = m.RouteActivity.objects.create(route=route, title="Курсы", planned_date=date(2025, 5, 1))
    return departed, only_b, campaign, event, activities


def test_bulk_pages_refuse_people_outside_the_heads_write_scope(client, head_a, school_a, bulk_world):
    departed, only_b, campaign, event, activities = bulk_world
    client.force_login(head_a)
    for who in (departed, only_b):
        response = client.post(reverse("campaign-results-bulk", args=[campaign.pk]),
                               results_post(school_a, [(who, {"took_part": True, "score": "5"})]))
        assert response.status_code == 200 and "вне ваших" in response.content.decode()
        assert not m.DiagnosticResult.objects.filter(campaign=campaign, teacher=who).exists()
        response = client.post(reverse("event-participants-bulk", args=[event.pk]), {
            "school": school_a.pk, "role": "participant", "teachers": [who.pk]})
        assert response.status_code == 404
        assert not m.Participation.objects.filter(event=event, teacher=who).exists()
        response = client.post(reverse("activities-done-bulk"), {
            "activities": [activities[who.pk].pk], "done_on": "01.06.2025"})
        assert response.status_code == 404
        activities[who.pk].refresh_from_db()
        assert activities[who.pk].done_on is None
    # Another school's choice in the school field is not found either.
    response = client.post(reverse("event-participants-bulk", args=[event.pk]), {
        "school": only_b.appointments.get().school_id, "role": "participant", "teachers": [only_b.pk]})
    assert response.status_code == 404 and not m.Participation.objects.filter(event=event, teacher=only_b).exists()


def test_bulk_pages_accept_the_shared_teacher_at_the_heads_school(client, head_a, school_a, shared):
    """The other side of the refusals above: Ковалёва works at A too, so A's head enters her result, adds her to
    an event and marks her ИОМ activity done on the bulk pages (her identity stays read-only elsewhere)."""
    from .factories import EventFactory

    teacher, *_, route = shared
    campaign = CampaignFactory(municipality=school_a.municipality)
    event = EventFactory(municipality=school_a.municipality)
    activity = m.RouteActivity.objects.create(route=route, title="Курсы", planned_date=date(2025, 5, 1))
    client.force_login(head_a)
    assert "Ковалёва" in client.get(reverse("campaign-results-bulk", args=[campaign.pk])).content.decode()
    assert client.post(reverse("campaign-results-bulk", args=[campaign.pk]),
                       results_post(school_a, [(teacher, {"took_part": True, "score": "5"})])).status_code == 302
    assert m.DiagnosticResult.objects.get(campaign=campaign, teacher=teacher).score == 5
    assert client.post(reverse("event-participants-bulk", args=[event.pk]), {
        "school": school_a.pk, "role": "participant", "teachers": [teacher.pk]}).status_code == 302
    assert m.Participation.objects.filter(event=event, teacher=teacher).exists()
    assert client.post(reverse("activities-done-bulk"), {"activities": [activity.pk],
                                                         "done_on": "01.06.2025"}).status_code == 302
    activity.refresh_from_db()
    assert activity.done_on == date(2025, 6, 1)
