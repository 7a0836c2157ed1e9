"""The change history reads as the page does: names, not ids or through-rows."""
from datetime import date

from django.urls import reverse

from teachers import models as m

from .factories import make_teacher


def test_history_shows_many_to_many_and_references_by_name(client, methodologist, school_a):
    teacher = make_teacher(school_a)
    client.force_login(methodologist)
    maths, physics = m.Subject.objects.all()[:2]
    teacher.subjects.set([maths])
    teacher.save()
    teacher.subjects.set([maths, physics])
    teacher.save()
    page = client.get(reverse("teacher-detail", args=[teacher.pk])).content.decode()
    assert "{&#x27;teacher&#x27;" not in page and "{'teacher'" not in page
    assert f"{maths.name} → {maths.name}, {physics.name}" in page

    mentor, other = make_teacher(school_a, last_name="Первая"), make_teacher(school_a, last_name="Вторая")
    pair = m.Mentorship.objects.create(mentor=mentor, mentee=teacher, level="school", start=date(2025, 1, 1))
    pair.mentor = other
    pair.level = "municipal"
    pair.save()
    page = client.get(reverse("mentorship-detail", args=[pair.pk])).content.decode()
    assert f"Наставник: {mentor.full_name} → {other.full_name}" in page
    assert "Уровень: школьный → муниципальный" in page


def test_history_of_deficit_areas(client, methodologist, school_a):
    from .factories import CampaignFactory

    result = m.DiagnosticResult.objects.create(campaign=CampaignFactory(municipality=school_a.municipality),
                                               teacher=make_teacher(school_a))
    area = m.DeficitArea.objects.first()
    result.save()
    result.deficit_areas.set([area])
    result.save()
    client.force_login(methodologist)
    page = client.get(reverse("result-detail", args=[result.pk])).content.decode()
    assert f"Выявленные дефициты: — → {area.name}" in page
