"""Accounts: change and reset of passwords, the administrator's forced reset, the idle timeout, and login
throttling keyed on the real client address behind a trusted proxy."""
import re
import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from mskoko import accounts

from .conftest import PASSWORD


def link_in(message):
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body).group(1)


def test_every_user_can_change_their_password(client, head_a):
    client.force_login(head_a)
    page = client.get(reverse("home")).content.decode()
    assert reverse("password_change") in page  # in the menu bar
    page = client.get(reverse("password_change")).content.decode()
    assert "Смена пароля" in page and 'class="form-control"' in page
    response = client.post(reverse("password_change"), {"old_password": "wrong", "new_password1": "x",
                                                       "new_password2": "y"})
    assert response.status_code == 200 and "Ваш старый пароль введен неправильно" in response.content.decode()
    response = client.post(reverse("password_change"), {"old_password": PASSWORD,
                                                       "new_password1": "Novyi-parol-2026",
                                                       "new_password2": "Novyi-parol-2026"})
    assert response.status_code == 302 and response.url == reverse("password_change_done")
    assert "Пароль изменён" in client.get(response.url).content.decode()  # this session goes on
    head_a.refresh_from_db()
    assert head_a.check_password("Novyi-parol-2026")


def test_password_reset_by_email(client, head_a):
    head_a.email = "head@school.ru"
    head_a.save()
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()  # «Забыли пароль?»
    response = client.post(reverse("password_reset"), {"email": "head@school.ru"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert "Проверьте почту" in client.get(response.url).content.decode()
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == ["head@school.ru"] and letter.subject == "МСОКО · профразвитие: новый пароль"
    assert "head_a" in letter.body and "Здравствуйте" in letter.body
    page = client.get(link_in(letter), follow=True)
    assert "Новый пароль" in page.content.decode()
    set_url = page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "Svezhii-parol-2026", "new_password2": "Svezhii-parol-2026"})
    assert response.status_code == 302 and response.url == reverse("password_reset_complete")
    assert client.post(reverse("login"), {"username": "head_a", "password": "Svezhii-parol-2026"}).status_code == 302
    client.logout()
    assert "Ссылка недействительна" in client.get(link_in(letter), follow=True).content.decode()  # used once


def test_an_unknown_address_gets_the_same_answer_and_no_letter(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.ru"})
    assert response.status_code == 302 and not mail.outbox


def test_the_administrator_forces_a_reset(client, admin_user, head_a, head_b):
    head_a.email = "head@school.ru"
    head_a.save()
    victim = Client()
    victim.force_login(head_a)
    assert victim.get(reverse("home")).status_code == 200
    client.force_login(admin_user)
    response = client.post(reverse("admin:teachers_user_changelist"), {
        "action": "force_password_reset", "_selected_action": [head_a.pk, head_b.pk]}, follow=True)
    page = response.content.decode()
    assert "ссылка для нового отправлена: head_a" in page and "нет адреса электронной почты" in page
    head_a.refresh_from_db()
    head_b.refresh_from_db()
    assert not head_a.check_password(PASSWORD) and not head_b.check_password(PASSWORD)
    assert victim.get(reverse("home")).status_code == 302  # the old session ended with the old password
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["head@school.ru"]
    page = client.get(link_in(mail.outbox[0]), follow=True)
    assert "Новый пароль" in page.content.decode()


def test_a_session_ends_after_the_idle_timeout(client, methodologist, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client.force_login(methodologist)
    assert client.get("/indicators/").status_code == 200
    session = client.session
    assert session[accounts.IDLE_KEY] > time.time() - 5
    session[accounts.IDLE_KEY] = time.time() - 29 * 60  # active 29 minutes ago: still in
    session.save()
    assert client.get("/indicators/").status_code == 200
    session = client.session
    session[accounts.IDLE_KEY] = time.time() - 31 * 60
    session.save()
    response = client.get("/indicators/?period=2025")
    assert response.status_code == 302 and response.url == "/accounts/login/?next=/indicators/%3Fperiod%3D2025" \
        or response.url == "/accounts/login/?next=/indicators/?period=2025"
    page = client.get(response.url).content.decode()
    assert "Сеанс завершён: в системе не было действий больше 30 мин." in page
    assert client.get("/indicators/").status_code == 302  # logged out


def test_a_session_ends_after_its_maximum_length(client, methodologist, settings):
    settings.SESSION_MAX_HOURS = 10
    client.force_login(methodologist)
    client.get("/")
    session = client.session
    session[accounts.STARTED_KEY] = time.time() - 10 * 3600 - 60
    session.save()
    assert client.get("/").status_code == 302
    assert "он длился больше 10 ч." in client.get(reverse("login")).content.decode()


def fail_logins(client, times, **headers):
    for _ in range(times):
        client.post("/accounts/login/", {"username": "head_a", "password": "wrong"}, **headers)


def login(client, **headers):
    return client.post("/accounts/login/", {"username": "head_a", "password": PASSWORD}, **headers).status_code


@pytest.mark.parametrize("count,chain,client_ip", [
    (1, "198.51.100.1", "198.51.100.1"),
    (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the client's own header entry is not trusted
    (2, "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
    (2, "198.51.100.1", "10.0.0.1"),  # shorter than the proxy chain: REMOTE_ADDR
    (1, "not-an-address", "10.0.0.1"),
    (0, "198.51.100.1", "10.0.0.1"),  # no trusted proxy: the header is ignored
])
def test_client_ip_behind_trusted_proxies(rf, settings, count, chain, client_ip):
    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=chain)
    assert accounts.client_ip(request) == client_ip


def test_throttling_behind_the_proxy_locks_the_client_not_everybody(head_a, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    attacker = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    colleague = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.5"}
    fail_logins(Client(), 5, **attacker)
    assert login(Client(), **attacker) == 429
    # A forged header entry in front of the proxy's does not get the attacker a fresh address.
    assert login(Client(), **{**proxy, "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.66"}) == 429
    assert login(Client(), **colleague) == 302  # the same proxy, another client: not locked out


def test_without_a_trusted_proxy_a_forged_header_does_not_escape_the_lock(head_a, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    fail_logins(Client(), 5, REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert login(Client(), REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="2.2.2.2") == 429
