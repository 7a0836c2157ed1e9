"""A path through the interface to every record: pages link to what hangs on them, with the «добавить» form
prefilled — and a prefilled id the user may not see is never shown."""
from datetime import date

from django.urls import reverse

from teachers import models as m

from .factories import AppointmentFactory, CampaignFactory, EventFactory, make_teacher
from .test_permission_matrix import world  # noqa: F401


def _association(school):
    return m.Association.objects.create(name="РМО учителей математики", kind=m.AssociationKind.objects.first(),
                                        municipality=school.municipality)


def test_association_page_lists_members_and_adds_one_prefilled(client, methodologist, school_a):
    association = _association(school_a)
    teacher = make_teacher(school_a, last_name="Членова")
    m.Membership.objects.create(association=association, teacher=teacher, start=date(2025, 1, 1))
    client.force_login(methodologist)
    page = client.get(reverse("association-detail", args=[association.pk])).content.decode()
    assert "Членова Мария Петровна" in page
    add = f"/memberships/new/?association={association.pk}&amp;next=%2Fassociations%2F{association.pk}%2F"
    assert add in page
    form = client.get(add.replace("&amp;", "&")).content.decode()
    assert f'<option value="{association.pk}" selected' in form
    response = client.post(add.replace("&amp;", "&"), {"association": association.pk, "teacher": make_teacher(
        school_a).pk, "role": "member", "start": "01.09.2025"})
    assert response.status_code == 302 and response["Location"] == f"/associations/{association.pk}/"
    assert association.memberships.count() == 2


def test_empty_association_says_so(client, methodologist, school_a):
    client.force_login(methodologist)
    page = client.get(reverse("association-detail", args=[_association(school_a).pk])).content.decode()
    assert "Пока нет участников." in page


def test_route_page_shows_its_activities_and_the_deficits_it_answers(client, methodologist, school_a):
    teacher = make_teacher(school_a)
    result = m.DiagnosticResult.objects.create(campaign=CampaignFactory(municipality=school_a.municipality),
                                               teacher=teacher)
    subject, method = m.DeficitArea.objects.all()[:2]
    result.deficit_areas.set([subject, method])
    route = m.IndividualRoute.objects.create(teacher=teacher, year=2025, approved_on=date(2025, 3, 1),
                                             diagnostic_result=result)
    m.RouteActivity.objects.create(route=route, title="Курсы по предмету", deficit_area=subject,
                                   planned_date=date(2025, 5, 1))
    client.force_login(methodologist)
    page = client.get(reverse("route-detail", args=[route.pk])).content.decode()
    assert "Курсы по предмету" in page
    assert subject.name in page and f"{method.name} — нет мероприятия" in page
    add = f"/route-activities/new/?route={route.pk}&amp;next=%2Froutes%2F{route.pk}%2F"
    assert add in page
    form = client.get(add.replace("&amp;", "&")).content.decode()
    assert f'<option value="{route.pk}" selected' in form
    # The result's page leads to a new ИОМ prefilled with the teacher and the result.
    page = client.get(reverse("result-detail", args=[result.pk])).content.decode()
    assert f"/routes/new/?teacher={teacher.pk}&amp;diagnostic_result={result.pk}" in page


def test_teacher_card_offers_prefilled_records_to_those_who_may_write(client, personas, school_a, school_b):
    teacher = make_teacher(school_a)
    card = reverse("teacher-detail", args=[teacher.pk])
    expected = [f"/diagnostic-results/new/?teacher={teacher.pk}", f"/routes/new/?teacher={teacher.pk}",
                f"/participations/new/?teacher={teacher.pk}", f"/mentorships/new/?mentee={teacher.pk}",
                f"/memberships/new/?teacher={teacher.pk}"]
    for persona in ("methodologist", "head_a", "admin"):
        client.force_login(personas[persona])
        page = client.get(card).content.decode()
        for url in expected:
            assert url in page, (persona, url)
    client.force_login(personas["viewer"])
    page = client.get(card).content.decode()
    assert not any(url in page for url in expected)
    assert 'data-testid="add-record"' not in page
    # A school the person has left reads the card, and gets no «добавить».
    departed = make_teacher(school_a, hired=date(2010, 9, 1), dismissed=date(2019, 6, 30))
    AppointmentFactory(teacher=departed, school=school_b, hired=date(2019, 9, 1))
    client.force_login(personas["head_a"])
    page = client.get(reverse("teacher-detail", args=[departed.pk])).content.decode()
    assert 'data-testid="add-record"' not in page


def test_a_prefilled_id_outside_the_scope_is_not_shown(client, head_a, school_a, school_b):
    theirs = make_teacher(school_b, last_name="Чужая")
    result = m.DiagnosticResult.objects.create(campaign=CampaignFactory(municipality=school_b.municipality),
                                               teacher=theirs)
    client.force_login(head_a)
    page = client.get(f"/routes/new/?teacher={theirs.pk}&diagnostic_result={result.pk}").content.decode()
    assert "Чужая" not in page and f'value="{theirs.pk}" selected' not in page
    assert f'value="{result.pk}" selected' not in page
    page = client.get(f"/memberships/new/?teacher={theirs.pk}").content.decode()
    assert "Чужая" not in page


def test_next_must_be_a_local_address(client, methodologist, school_a):
    teacher = make_teacher(school_a)
    event = EventFactory(municipality=school_a.municipality)
    client.force_login(methodologist)
    response = client.post(f"/participations/new/?teacher={teacher.pk}&next=https://example.com/",
                           {"event": event.pk, "teacher": teacher.pk, "role": "participant"})
    assert response.status_code == 302 and response["Location"].startswith("/participations/")
    response = client.post(f"/participations/new/?next=/teachers/{teacher.pk}/",
                           {"event": EventFactory(municipality=school_a.municipality).pk, "teacher": teacher.pk,
                            "role": "participant"})
    assert response["Location"] == f"/teachers/{teacher.pk}/"


def test_menu_reaches_route_activities_and_the_mentorship_model(client, methodologist):
    client.force_login(methodologist)
    page = client.get("/").content.decode()
    for name in ("activity-list", "mentorship-model-list", "participation-list", "membership-list", "result-list"):
        assert f'data-url-name="{name}"' in page, name


def test_a_records_page_links_to_the_records_it_points_at(client, methodologist, school_a):
    teacher = make_teacher(school_a)
    route = m.IndividualRoute.objects.create(teacher=teacher, year=2025, approved_on=date(2025, 3, 1))
    client.force_login(methodologist)
    page = client.get(reverse("route-detail", args=[route.pk])).content.decode()
    assert f'<a href="/teachers/{teacher.pk}/">{teacher.full_name}</a>' in page


def test_no_button_leads_to_a_refusal(world):
    """Every «Добавить», «Изменить», «Удалить» and prefilled «добавить» link a persona sees opens for them."""
    import re

    from .test_permission_matrix import crud_names

    clients, objects, _ = world
    problems, seen = [], 0
    for persona, client in clients.items():
        if persona == "anon":
            continue
        for name in sorted(crud_names()):
            pages = [reverse(f"{name}-list")]
            if client.get(reverse(f"{name}-detail", args=[objects[name].pk])).status_code == 200:
                pages.append(reverse(f"{name}-detail", args=[objects[name].pk]))
            for page in pages:
                html = client.get(page).content.decode()
                links = re.findall(r'<a class="[^"]*btn[^"]*" href="([^"]+)"[^>]*'
                                   r'data-testid="(?:create|edit|delete|add-[a-z]+)"', html)
                links += re.findall(r'<a class="dropdown-item" href="([^"]+/new/\?[^"]+)"', html)
                for url in links:
                    seen += 1
                    status = client.get(url.replace("&amp;", "&")).status_code
                    if status != 200:
                        problems.append(f"{persona} on {page}: {url} → {status}")
    for persona in ("methodologist", "admin"):
        for name in sorted(crud_names()):
            html = clients[persona].get(reverse(f"{name}-detail", args=[objects[name].pk])).content.decode()
            if 'data-testid="edit"' not in html or 'data-testid="delete"' not in html:
                problems.append(f"{persona}: no «Изменить»/«Удалить» on {name}")
    assert seen > 50, seen
    assert not problems, "\n".join(problems)


def test_an_empty_list_says_so_and_phones_get_a_filter_toggle(client, methodologist):
    client.force_login(methodologist)
    html = client.get("/routes/").content.decode()
    assert "Пока нет записей." in html
    assert 'data-testid="filters-toggle"' in html and 'class="badge' not in html.split('filters-toggle')[1][:80]
    html = client.get("/teachers/?young=true&category=").content.decode()
    assert "Ничего не найдено: измените условия отбора." in html
    toggle = html.split('data-testid="filters-toggle">')[1][:120]
    assert 'Фильтры <span class="badge text-bg-primary">1</span>' in toggle
    assert 'class="table table-sm stack' in html or "stack" in html.split("<table")[1][:200]
