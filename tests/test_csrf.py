"""State-changing requests need the CSRF token; without it they are refused and change nothing."""
import pytest
from django.test import Client

from teachers import models as m

from .factories import make_teacher
from .test_pages_teachers import new_teacher_post


@pytest.fixture
def strict(methodologist):
    client = Client(enforce_csrf_checks=True)
    client.force_login(methodologist)
    return client


def test_create_without_token_is_refused(strict, school_a):
    response = strict.post("/teachers/new/", new_teacher_post(school_a))
    assert response.status_code == 403
    assert "Запрос отклонён" in response.content.decode()
    assert not m.Teacher.objects.exists()


def test_delete_without_token_is_refused(strict, school_a):
    teacher = make_teacher(school_a)
    assert strict.post(f"/teachers/{teacher.pk}/delete/").status_code == 403
    assert m.Teacher.objects.filter(pk=teacher.pk).exists()


def test_edit_with_the_token_works(strict, school_a):
    teacher = make_teacher(school_a)
    page = strict.get(f"/teachers/{teacher.pk}/delete/")
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else strict.cookies["csrftoken"].value
    assert strict.post(f"/teachers/{teacher.pk}/delete/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert not m.Teacher.objects.filter(pk=teacher.pk).exists()


def test_logout_and_calendar_need_the_token(admin_user, municipality):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    assert client.post("/monitoring/calendar/create/", {"year": 2026, "municipality": municipality.pk}).status_code == 403
    assert client.post("/accounts/logout/").status_code == 403
