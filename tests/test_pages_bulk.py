from datetime import date

from teachers import models as m

from .factories import CampaignFactory, EventFactory, make_teacher


def test_campaign_results_for_a_whole_school_in_one_go(client, head_a, school_a):
    t1, t2, t3 = (make_teacher(school_a, last_name=n) for n in ("Альфа", "Бета", "Гамма"))
    campaign = CampaignFactory(municipality=school_a.municipality, max_score=20)
    m.DiagnosticResult.objects.create(campaign=campaign, teacher=t3)
    area = m.DeficitArea.objects.get(code="subject")
    client.force_login(head_a)
    page = client.get(f"/diagnostics/{campaign.pk}/results/")
    assert "Альфа" in page.content.decode()
    data = {"school": school_a.pk, "row": [t1.pk, t2.pk, t3.pk],
            f"took_part_{t1.pk}": "on", f"score_{t1.pk}": "15,5", f"areas_{t1.pk}": [area.pk],
            f"took_part_{t2.pk}": "on", f"score_{t2.pk}": "12"}
    assert client.post(f"/diagnostics/{campaign.pk}/results/", data).status_code == 302
    r1 = m.DiagnosticResult.objects.get(teacher=t1)
    assert r1.score == 15.5 and r1.has_deficits and list(r1.deficit_areas.all()) == [area]
    assert not m.DiagnosticResult.objects.get(teacher=t2).has_deficits
    assert not m.DiagnosticResult.objects.filter(teacher=t3).exists()  # unticked: removed
    assert r1.history.first().history_user == head_a


def test_one_bad_row_saves_nothing(client, methodologist, school_a):
    t1, t2 = make_teacher(school_a), make_teacher(school_a)
    campaign = CampaignFactory(municipality=school_a.municipality, max_score=20)
    client.force_login(methodologist)
    response = client.post(f"/diagnostics/{campaign.pk}/results/?school={school_a.pk}", {
        "school": school_a.pk, "row": [t1.pk, t2.pk], f"took_part_{t1.pk}": "on", f"score_{t1.pk}": "10",
        f"took_part_{t2.pk}": "on", f"score_{t2.pk}": "25"})
    assert response.status_code == 200
    assert "Балл должен быть от 0 до 20" in response.content.decode()
    assert not m.DiagnosticResult.objects.exists()


def test_bulk_participants_skip_duplicates_and_refuse_outsiders(client, head_a, school_a, school_b):
    event = EventFactory(municipality=school_a.municipality)
    t1, t2 = make_teacher(school_a), make_teacher(school_a)
    outsider = make_teacher(school_b)
    m.Participation.objects.create(event=event, teacher=t1)
    client.force_login(head_a)
    response = client.post(f"/events/{event.pk}/participants/", {"school": school_a.pk, "role": "speaker",
                                                                  "teachers": [t1.pk, t2.pk]})
    assert response.status_code == 302
    assert m.Participation.objects.get(teacher=t2).role == "speaker"
    assert m.Participation.objects.filter(event=event).count() == 2
    response = client.post(f"/events/{event.pk}/participants/", {"school": school_a.pk, "role": "participant",
                                                                  "teachers": [outsider.pk]})
    assert response.status_code == 404
    assert not m.Participation.objects.filter(teacher=outsider).exists()


def test_mark_many_activities_done(client, methodologist, school_a):
    teacher = make_teacher(school_a)
    route = m.IndividualRoute.objects.create(teacher=teacher, year=2025, approved_on=date(2025, 2, 1))
    a1 = m.RouteActivity.objects.create(route=route, title="Курсы", planned_date=date(2025, 3, 1))
    a2 = m.RouteActivity.objects.create(route=route, title="Семинар", planned_date=date(2025, 4, 1))
    client.force_login(methodologist)
    assert client.post("/route-activities/mark-done/", {"activities": [a1.pk], "done_on": "31.02.2025"}).status_code == 200
    assert client.post("/route-activities/mark-done/", {"activities": [a1.pk, a2.pk], "done_on": "15.04.2025"}).status_code == 302
    assert set(m.RouteActivity.objects.values_list("done_on", flat=True)) == {date(2025, 4, 15)}


def test_viewer_cannot_bulk_write(client, viewer, school_a):
    campaign = CampaignFactory(municipality=school_a.municipality)
    client.force_login(viewer)
    assert client.get(f"/diagnostics/{campaign.pk}/results/?school={school_a.pk}").status_code == 200
    assert client.post(f"/diagnostics/{campaign.pk}/results/", {"school": school_a.pk}).status_code == 403


def test_campaign_results_count_only_the_rows_that_changed(client, methodologist, school_a):
    teachers = [make_teacher(school_a) for _ in range(4)]
    campaign = CampaignFactory(municipality=school_a.municipality, max_score=20)
    for t in teachers:
        m.DiagnosticResult.objects.create(campaign=campaign, teacher=t, score=10)
    client.force_login(methodologist)
    data = {"school": school_a.pk, "row": [t.pk for t in teachers]}
    for t in teachers:
        data[f"took_part_{t.pk}"] = "on"
        data[f"score_{t.pk}"] = "10"
    data[f"score_{teachers[0].pk}"] = "12"
    response = client.post(f"/diagnostics/{campaign.pk}/results/", data, follow=True)
    assert "Изменено результатов: 1." in response.content.decode()
    untouched = m.DiagnosticResult.objects.get(teacher=teachers[1])
    assert untouched.history.count() == 1
    response = client.post(f"/diagnostics/{campaign.pk}/results/", data, follow=True)
    assert "Изменений нет" in response.content.decode()
