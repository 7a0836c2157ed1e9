"""Rules written once: the municipality a user may pick and the СНИЛС control number each have one helper, and
no other module spells them out again."""
import re
from pathlib import Path

import pytest
from django.http import Http404

from teachers.scoping import default_municipality, pick_municipality

from .factories import MunicipalityFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
APPS = ("mskoko", "teachers", "indicators", "monitoring", "reports")


def _sources():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


@pytest.mark.parametrize("pattern, home", [
    # choosing among the municipalities a user may see: by id or the first by name
    (r"municipalities_for\([^)]*\)(\.order_by\([^)]*\))?\.(get|first)\(", "teachers/scoping.py"),
    (r"Нет доступных муниципалитетов|\"Муниципалитет не найден\.\"", "teachers/scoping.py"),
    # the СНИЛС control number: digits weighted 9…1
    (r"range\(9, 0, -1\)", "teachers/snils.py"),
])
def test_the_rule_is_spelled_out_in_one_place(pattern, home):
    places = sorted(name for name, text in _sources() if re.search(pattern, text))
    assert places == [home]


def test_pick_municipality(db, municipality, methodologist, head_a, school_a):
    other = MunicipalityFactory(name="Абинский район")
    admin = UserFactory(role="admin", is_superuser=True)
    assert pick_municipality(methodologist) == municipality == default_municipality(methodologist)
    assert pick_municipality(admin) == other  # the first by name
    assert pick_municipality(admin, municipality.pk) == municipality
    with pytest.raises(Http404):
        pick_municipality(methodologist, other.pk)
    assert pick_municipality(head_a) == school_a.municipality
    with pytest.raises(Http404):
        pick_municipality(head_a, other.pk)
