"""Login, throttling, login-required everywhere, and a menu per role."""
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from teachers.navigation import MENU

from .conftest import PASSWORD

# Password reset is for people who cannot log in: Django marks its views login_not_required.
PUBLIC = {"login", "healthz", "password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete",
          "survey-answer"}  # the teachers' questionnaire: a personal link, no account (tests/test_request_surveys.py)


def iter_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if getattr(p, "app_name", None) == "admin" or str(p.pattern).startswith("admin"):
                continue
            yield from iter_patterns(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def sample_path(route):
    import re

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "1" if "pk" in m.group(1) or "id" in m.group(1) else "x", route)


@pytest.mark.django_db
def test_every_page_requires_login(client):
    checked = 0
    for route, pattern in iter_patterns():
        if pattern.name in PUBLIC:
            continue
        path = sample_path(route)
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], (path, response.status_code)
        checked += 1
    assert checked > 5


def test_login_with_a_wrong_password_shows_a_russian_error(client, head_a):
    response = client.post("/accounts/login/", {"username": "head_a", "password": "wrong"})
    assert response.status_code == 200
    assert "Неверное имя пользователя или пароль" in response.content.decode()


def test_login_is_throttled_after_five_failures(client, head_a):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "head_a", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "head_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "Вход временно заблокирован" in response.content.decode()


def test_a_success_resets_the_failure_count(client, head_a):
    for _ in range(4):
        client.post("/accounts/login/", {"username": "head_a", "password": "wrong"})
    assert client.post("/accounts/login/", {"username": "head_a", "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(4):
        client.post("/accounts/login/", {"username": "head_a", "password": "wrong"})
    assert client.post("/accounts/login/", {"username": "head_a", "password": PASSWORD}).status_code == 302


def test_logout_needs_post(client, head_a):
    client.force_login(head_a)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302


@pytest.mark.parametrize("persona", ["admin", "methodologist", "head_a", "viewer"])
def test_menu_shows_each_role_what_it_may_use(client, personas, persona):
    user = personas[persona]
    client.force_login(user)
    body = client.get("/").content.decode()
    # The menu reads the roles each view declares: an item is shown exactly when its page opens.
    for title, url_name in MENU:
        marker = f'data-url-name="{url_name}"'
        status = client.get(reverse(url_name)).status_code
        assert status in (200, 302, 403), (persona, url_name, status)  # 302: the admin's own login page
        assert (marker in body) == (status == 200), (persona, url_name, status)
