"""Malformed query parameters are the client's mistake: 400 with a Russian message, never a 500."""
import re

import pytest

from .factories import make_teacher

BAD = ["", " ", "abc", "-1", "0", "1.5", "1e5", "99999999999999999999", "9" * 400, "2025q9", "2025q", "q3",
       "sy", "sy99999999999999999999", "99999999999999999999q1", "9999-99-99", "2025-02-30", "-2025", "١٢٣",
       "\x00", "🙂", "' OR 1=1 --", "%", "[]", "2025,2026", "sy-1", "0q0", "1899", "2101-01-01"]
CYRILLIC = re.compile("[а-яА-Я]")


def check(response):
    assert response.status_code in (200, 302, 400, 403, 404), response.status_code
    if response.status_code == 400:
        text = response.content.decode()
        assert CYRILLIC.search(text), text


@pytest.mark.parametrize("name", ["period", "year", "level", "codes"])
def test_the_api_answers_any_value_of_any_parameter_without_a_500(client, methodologist, school_a, name):
    make_teacher(school_a)
    client.force_login(methodologist)
    for value in BAD:
        response = client.get("/indicators/api/values.json", {name: value})
        check(response)
        if response.status_code == 400:
            assert CYRILLIC.search(response.json()["error"])
    for combo in ({"period": "2025", "level": "school", "codes": "D1,,K1"}, {"period": "sy2024", "codes": "ZZ9"}):
        assert client.get("/indicators/api/values.json", combo).status_code == 200


def test_the_overflowing_period_of_the_issue(client, viewer):
    client.force_login(viewer)
    response = client.get("/indicators/api/values.json", {"period": "99999999999999999999"})
    assert response.status_code == 400 and "Не удалось разобрать период" in response.json()["error"]
    response = client.get("/indicators/api/values.json", {"codes": "D1;DROP"})
    assert response.status_code == 400 and "Неверный код показателя" in response.json()["error"]


PAGES = [
    ("/indicators/", ["period", "municipality"]),
    ("/indicators/rating/", ["period", "municipality"]),
    ("/indicators/explain/", ["period", "key", "level"]),
    ("/monitoring/calendar/", ["municipality", "year"]),
]


@pytest.mark.parametrize("path,names", PAGES)
def test_pages_answer_bad_parameters_with_400_or_404(client, methodologist, school_a, path, names):
    client.force_login(methodologist)
    for name in names:
        for value in BAD[::3] + ["99999999999999999999"]:
            params = {"code": "D1", "level": "school", "key": str(school_a.pk), name: value}
            check(client.get(path, params))


def test_a_bad_parameter_page_says_what_is_wrong(client, methodologist, school_a):
    client.force_login(methodologist)
    response = client.get("/indicators/", {"municipality": "99999999999999999999"})
    assert response.status_code == 400
    assert "Параметр «municipality» должен быть номером записи" in response.content.decode()
    response = client.get("/indicators/explain/", {"code": "D1", "level": "cluster", "key": "1-x"})
    assert response.status_code == 400 and "Неверный ключ" in response.content.decode()
