"""Every record family's pages: scoped lists, 404 for outsiders, 403 for viewers, constant queries."""
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from teachers import models as m
from teachers.views.records import SPECS

from .factories import CampaignFactory, EventFactory, SchoolFactory, make_teacher


def sample(model, school):
    """One record of `model` that belongs to `school`."""
    teacher = make_teacher(school)
    other = make_teacher(school)
    position = m.Position.objects.first()
    mun = school.municipality
    if model is m.Vacancy:
        return m.Vacancy.objects.create(school=school, position=position, opened=date(2025, 1, 1))
    if model is m.ReserveEntry:
        return m.ReserveEntry.objects.create(teacher=teacher, school=school, target_position="заместитель директора",
                                             included_on=date(2025, 1, 1))
    if model is m.DevelopmentRequest:
        return m.DevelopmentRequest.objects.create(teacher=teacher, year=2025, topic="Функциональная грамотность",
                                                   submitted_on=date(2025, 2, 1))
    if model is m.MentorshipModelAdoption:
        year = 2020 + m.MentorshipModelAdoption.objects.filter(school=school).count()
        return m.MentorshipModelAdoption.objects.create(school=school, year=year)
    if model is m.DiagnosticCampaign:
        return CampaignFactory(municipality=mun, organizer="school", school=school)
    if model is m.DiagnosticResult:
        return m.DiagnosticResult.objects.create(campaign=CampaignFactory(municipality=mun), teacher=teacher)
    if model is m.IndividualRoute:
        return m.IndividualRoute.objects.create(teacher=teacher, year=2025, approved_on=date(2025, 3, 1))
    if model is m.RouteActivity:
        route = m.IndividualRoute.objects.create(teacher=teacher, year=2025, approved_on=date(2025, 3, 1))
        return m.RouteActivity.objects.create(route=route, title="Курсы", planned_date=date(2025, 5, 1))
    if model is m.Event:
        return EventFactory(municipality=mun, school=school)
    if model is m.Participation:
        return m.Participation.objects.create(event=EventFactory(municipality=mun), teacher=teacher)
    if model is m.Mentorship:
        return m.Mentorship.objects.create(mentor=other, mentee=teacher, level="school", start=date(2025, 1, 1))
    if model is m.Association:
        return m.Association.objects.create(name="ШМО", kind=m.AssociationKind.objects.get(code="shmo"),
                                            municipality=mun, school=school)
    if model is m.Membership:
        assoc = m.Association.objects.create(name="РМО", kind=m.AssociationKind.objects.first(), municipality=mun)
        return m.Membership.objects.create(association=assoc, teacher=teacher, start=date(2025, 1, 1))
    raise AssertionError(model)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_record_pages_are_scoped(client, spec, head_a, head_b, viewer, methodologist, school_a):
    obj = sample(spec.model, school_a)
    base = f"/{spec.prefix}/"
    client.force_login(head_a)
    assert client.get(base).status_code == 200
    assert client.get(f"{base}{obj.pk}/").status_code == 200
    client.force_login(head_b)
    assert client.get(f"{base}{obj.pk}/").status_code == 404
    assert client.post(f"{base}{obj.pk}/delete/").status_code == 404
    client.force_login(viewer)
    assert client.get(f"{base}{obj.pk}/").status_code == 200
    assert client.get(f"{base}{obj.pk}/edit/").status_code == 403
    assert client.get(f"{base}new/").status_code == 403
    client.force_login(methodologist)
    assert client.get(f"{base}{obj.pk}/edit/").status_code == 200
    assert spec.model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_record_list_query_count_is_constant(client, spec, methodologist, municipality):
    client.force_login(methodologist)
    school = SchoolFactory(municipality=municipality)
    sample(spec.model, school)
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"/{spec.prefix}/").status_code == 200
    for _ in range(6):
        sample(spec.model, school)
    with CaptureQueriesContext(connection) as big:
        client.get(f"/{spec.prefix}/")
    assert len(big) == len(small), [q["sql"][:120] for q in big.captured_queries]


def test_result_form_keeps_the_deficit_flag_in_step(client, methodologist, school_a):
    teacher = make_teacher(school_a)
    campaign = CampaignFactory(municipality=school_a.municipality)
    client.force_login(methodologist)
    response = client.post("/diagnostic-results/new/", {
        "campaign": campaign.pk, "teacher": teacher.pk, "score": "", "comment": "",
        "deficit_areas": [m.DeficitArea.objects.get(code="subject").pk],
    })
    assert response.status_code == 302
    assert m.DiagnosticResult.objects.get().has_deficits is True


def test_mentor_cannot_be_own_mentee_in_the_form(client, methodologist, school_a):
    teacher = make_teacher(school_a)
    client.force_login(methodologist)
    response = client.post("/mentorships/new/", {"mentor": teacher.pk, "mentee": teacher.pk, "level": "school",
                                                  "start": "01.09.2025"})
    assert "самому себе" in response.content.decode()
    assert not m.Mentorship.objects.exists()
