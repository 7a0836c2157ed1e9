from datetime import date

from teachers import models as m

from .factories import CampaignFactory, EventFactory, make_teacher


def results_post(school, rows):
    """The campaign results formset as the browser sends it: rows of (teacher, {took_part, score, areas})."""
    data = {"school": school.pk, "results-TOTAL_FORMS": str(len(rows)), "results-INITIAL_FORMS": str(len(rows)),
            "results-MIN_NUM_FORMS": "0", "results-MAX_NUM_FORMS": "2000"}
    for i, (teacher, values) in enumerate(rows):
        data[f"results-{i}-teacher"] = teacher.pk
        if values.get("took_part"):
            data[f"results-{i}-took_part"] = "on"
        data[f"results-{i}-score"] = values.get("score", "")
        data[f"results-{i}-areas"] = [a.pk for a in values.get("areas", ())]
    return data


def test_campaign_results_for_a_whole_school_in_one_go(client, head_a, school_a):
    t1, t2, t3 = (make_teacher(school_a, last_name=n) for n in ("Альфа", "Бета", "Гамма"))
    campaign = CampaignFactory(municipality=school_a.municipality, max_score=20)
    m.DiagnosticResult.objects.create(campaign=campaign, teacher=t3)
    area = m.DeficitArea.objects.get(code="subject")
    client.force_login(head_a)
    page = client.get(f"/diagnostics/{campaign.pk}/results/")
    assert "Альфа" in page.content.decode()
    data = results_post(school_a, [(t1, {"took_part": True, "score": "15,5", "areas": [area]}),
                                   (t2, {"took_part": True, "score": "12"}), (t3, {})])
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
    response = client.post(f"/diagnostics/{campaign.pk}/results/?school={school_a.pk}", results_post(
        school_a, [(t1, {"took_part": True, "score": "10"}), (t2, {"took_part": True, "score": "25"})]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Балл должен быть от 0 до 20" in page and page.count('class="table-danger"') == 1
    assert 'value="25"' in page  # the rows come back as typed
    assert not m.DiagnosticResult.objects.exists()
    for bad, message in (("пять", "Балл — не число."), ("5", "Отметьте участие или очистите балл и дефициты.")):
        response = client.post(f"/diagnostics/{campaign.pk}/results/", results_post(
            school_a, [(t1, {"took_part": True, "score": "10"}), (t2, {"score": bad})]))
        assert response.status_code == 200 and message in response.content.decode()
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
    assert client.post(f"/diagnostics/{campaign.pk}/results/", results_post(school_a, [])).status_code == 403


def test_campaign_results_count_only_the_rows_that_changed(client, methodologist, school_a):
    teachers = [make_teacher(school_a) for _ in range(4)]
    campaign = CampaignFactory(municipality=school_a.municipality, max_score=20)
    for t in teachers:
        m.DiagnosticResult.objects.create(campaign=campaign, teacher=t, score=10)
    client.force_login(methodologist)
    data = results_post(school_a, [(t, {"took_part": True, "score": "12" if t == teachers[0] else "10"})
                                   for t in teachers])
    response = client.post(f"/diagnostics/{campaign.pk}/results/", data, follow=True)
    assert "Изменено результатов: 1." in response.content.decode()
    untouched = m.DiagnosticResult.objects.get(teacher=teachers[1])
    assert untouched.history.count() == 1
    response = client.post(f"/diagnostics/{campaign.pk}/results/", data, follow=True)
    assert "Изменений нет" in response.content.decode()


def test_bulk_pages_cost_the_same_for_a_small_and_a_bigger_school(client, head_a, school_a, django_assert_num_queries):
    # Measured before the pages moved to forms and formsets, and unchanged by the move, whatever the number of
    # rows: GET results 12 (session, user, the head's school, campaign, schools ×3, deficit areas, teachers,
    # results, their areas, the school of the page), GET participants 10, GET activities 8, re-posting
    # unchanged results 12.
    campaign = CampaignFactory(municipality=school_a.municipality, max_score=20)
    event = EventFactory(municipality=school_a.municipality)
    area = m.DeficitArea.objects.first()
    client.force_login(head_a)
    for _ in range(2):
        for _ in range(3):
            teacher = make_teacher(school_a)
            route = m.IndividualRoute.objects.create(teacher=teacher, year=2025, approved_on=date(2025, 2, 1))
            m.RouteActivity.objects.create(route=route, title="Курсы", planned_date=date(2025, 3, 1))
        staff = list(m.Teacher.objects.active_on(date.today(), schools=school_a))
        data = results_post(school_a, [(t, {"took_part": True, "score": "5", "areas": [area]}) for t in staff])
        assert client.post(f"/diagnostics/{campaign.pk}/results/", data, follow=True).status_code == 200
        with django_assert_num_queries(12):
            client.get(f"/diagnostics/{campaign.pk}/results/")
        with django_assert_num_queries(10):
            client.get(f"/events/{event.pk}/participants/")
        with django_assert_num_queries(8):
            client.get("/route-activities/mark-done/")
        with django_assert_num_queries(12):
            assert client.post(f"/diagnostics/{campaign.pk}/results/", data).status_code == 302
        client.get(f"/diagnostics/{campaign.pk}/results/")  # the message shown


def test_a_teacher_posted_twice_saves_nothing(client, methodologist, school_a):
    teacher = make_teacher(school_a)
    campaign = CampaignFactory(municipality=school_a.municipality)
    client.force_login(methodologist)
    response = client.post(f"/diagnostics/{campaign.pk}/results/", results_post(
        school_a, [(teacher, {"took_part": True, "score": "1"}), (teacher, {"took_part": True, "score": "2"})]))
    assert response.status_code == 200 and "Педагог указан в двух строках." in response.content.decode()
    assert not m.DiagnosticResult.objects.exists()


def test_a_post_without_the_formset_is_a_bad_request(client, head_a, school_a):
    campaign = CampaignFactory(municipality=school_a.municipality)
    client.force_login(head_a)
    response = client.post(f"/diagnostics/{campaign.pk}/results/", {"school": school_a.pk})
    assert response.status_code == 400 and "обновите страницу" in response.content.decode()


def test_a_person_posted_twice_as_a_participant_is_added_once(client, head_a, school_a):
    """`teachers=5&teachers=5` (a tampered or doubled form) was an IntegrityError, 500."""
    event = EventFactory(municipality=school_a.municipality)
    teacher = make_teacher(school_a)
    client.force_login(head_a)
    response = client.post(f"/events/{event.pk}/participants/", {"school": school_a.pk, "role": "speaker",
                                                                  "teachers": [teacher.pk, teacher.pk]}, follow=True)
    assert response.status_code == 200 and "Добавлено участников: 1." in response.content.decode()
    assert m.Participation.objects.filter(event=event, teacher=teacher).count() == 1


def test_bulk_pages_answer_bad_parameters_with_400_in_russian(client, methodologist, school_a):
    """A month `date()` cannot hold was a 500; a malformed ОО number is the client's mistake (400), an unknown
    one is not found (404)."""
    campaign = CampaignFactory(municipality=school_a.municipality)
    client.force_login(methodologist)
    for month in ("9999999-1", "2025-13", "2025-0", "abc", "2025"):
        response = client.get("/route-activities/mark-done/", {"month": month})
        assert response.status_code == 400 and "гггг-мм" in response.content.decode(), month
    assert client.get("/route-activities/mark-done/", {"month": "2025-03"}).status_code == 200
    for url in (f"/diagnostics/{campaign.pk}/results/", "/route-activities/mark-done/"):
        for school in ("abc", "-1", "99999999999999999999999"):
            response = client.get(url, {"school": school})
            assert response.status_code == 400 and "номером записи" in response.content.decode(), (url, school)
        assert client.get(url, {"school": 10**9}).status_code == 404


def test_tampered_results_formsets_are_form_errors_never_500(client, head_a, school_a):
    """Huge TOTAL_FORMS, ids that are not numbers or too large for the database, scores that are not finite:
    a Russian message on the page (or 400 for a broken management form) and nothing saved."""
    teacher = make_teacher(school_a)
    campaign = CampaignFactory(municipality=school_a.municipality, max_score=20)
    client.force_login(head_a)
    url = f"/diagnostics/{campaign.pk}/results/"
    base = results_post(school_a, [(teacher, {"took_part": True, "score": "5"})])
    for change, message in (
            ({"results-TOTAL_FORMS": "100000000"}, "не больше 2000"),
            ({"results-0-teacher": "abc"}, "обновите страницу"),
            ({"results-0-teacher": "99999999999999999999999"}, "обновите страницу"),
            ({"results-0-areas": ["99999999999999999999"]}, "Ничего не сохранено"),
            ({"results-0-score": "NaN"}, "Ничего не сохранено"),
            ({"results-0-score": "1e400"}, "Ничего не сохранено")):
        response = client.post(url, {**base, **change})
        assert response.status_code == 200 and message in response.content.decode(), change
    for broken in ({"results-TOTAL_FORMS": "abc"}, {"results-INITIAL_FORMS": None}):
        data = {k: v for k, v in {**base, **broken}.items() if v is not None}
        assert client.post(url, data).status_code == 400
    assert not m.DiagnosticResult.objects.exists()


def test_participants_added_meanwhile_by_another_tab_are_skipped_not_a_500(client, head_a, school_a, monkeypatch):
    """The page reads who is listed, then writes: a person another request added in between was an
    IntegrityError (500); now they count as already listed."""
    from teachers.forms import ParticipantsForm

    event = EventFactory(municipality=school_a.municipality)
    t1, t2 = make_teacher(school_a), make_teacher(school_a)
    valid = ParticipantsForm.is_valid

    def meanwhile(form):
        m.Participation.objects.get_or_create(event=event, teacher=t1)  # the other tab's write
        return valid(form)

    monkeypatch.setattr(ParticipantsForm, "is_valid", meanwhile)
    client.force_login(head_a)
    response = client.post(f"/events/{event.pk}/participants/", {"school": school_a.pk, "role": "speaker",
                                                                  "teachers": [t1.pk, t2.pk]}, follow=True)
    assert response.status_code == 200
    assert "Добавлено участников: 1; уже были в списке: 1." in response.content.decode()
    assert m.Participation.objects.filter(event=event).count() == 2


def test_results_stored_meanwhile_by_another_tab_save_nothing_and_say_so(client, head_a, school_a, monkeypatch):
    """A result written between the page's reading and its writing (one per person and campaign) was an
    IntegrityError (500); now nothing of the POST is saved and the page says why."""
    from teachers.forms import ResultFormSet

    t1, t2 = make_teacher(school_a), make_teacher(school_a)
    campaign = CampaignFactory(municipality=school_a.municipality, max_score=20)
    valid = ResultFormSet.is_valid

    def meanwhile(formset):
        m.DiagnosticResult.objects.get_or_create(campaign=campaign, teacher=t2, defaults={"score": 7})
        return valid(formset)

    monkeypatch.setattr(ResultFormSet, "is_valid", meanwhile)
    client.force_login(head_a)
    response = client.post(f"/diagnostics/{campaign.pk}/results/", results_post(
        school_a, [(t1, {"took_part": True, "score": "5"}), (t2, {"took_part": True, "score": "6"})]), follow=True)
    assert response.status_code == 200 and "в другой вкладке" in response.content.decode()
    assert not m.DiagnosticResult.objects.filter(teacher=t1).exists()
    assert m.DiagnosticResult.objects.get(teacher=t2).score == 7
