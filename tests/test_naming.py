"""Names and numbers as Russian reads them: natural order, plural agreement; dashboards use both."""
import pytest
from django.template import Context, Template

from teachers.naming import natural_key, plural


def test_natural_key_orders_numbers_by_value():
    names = ["СОШ № 10", "СОШ № 4", "ООШ № 2", "СОШ № 1 им. А. С. Пушкина", "сош № 3"]
    assert sorted(names, key=natural_key) == ["ООШ № 2", "СОШ № 1 им. А. С. Пушкина", "сош № 3", "СОШ № 4",
                                              "СОШ № 10"]
    assert sorted(["K10", "K9", "K2", "K1", "K5"], key=natural_key) == ["K1", "K2", "K5", "K9", "K10"]


@pytest.mark.parametrize("n, word", [(0, "школ"), (1, "школа"), (2, "школы"), (4, "школы"), (5, "школ"),
                                     (11, "школ"), (12, "школ"), (14, "школ"), (21, "школа"), (22, "школы"),
                                     (101, "школа"), (111, "школ")])
def test_plural_agreement(n, word):
    assert plural(n, "школа", "школы", "школ") == word


def test_plural_filter_in_templates():
    t = Template('{% load indicator_tags %}по {{ n }} {{ n|plural:"муниципальному образованию,муниципальным '
                 'образованиям,муниципальным образованиям" }}')
    assert t.render(Context({"n": 1})) == "по 1 муниципальному образованию"
    assert t.render(Context({"n": 43})) == "по 43 муниципальным образованиям"


def test_dashboard_codes_are_in_natural_order_within_a_direction(client, methodologist, school_a):
    from .factories import make_teacher

    make_teacher(school_a)
    client.force_login(methodologist)
    response = client.get("/indicators/", {"period": "2025"})
    for direction, rows in response.context["directions"]:
        codes = [r["indicator"].code for r in rows]
        assert codes == sorted(codes, key=natural_key), codes
    body = response.content.decode()
    assert ">Гимназия<" in body or "Гимназия</a>" in body  # cluster names capitalised like МКШ, УМКШ
