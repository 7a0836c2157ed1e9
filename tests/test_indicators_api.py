import json
from io import StringIO

from django.core.management import call_command

from .factories import SchoolFactory, make_teacher


def test_json_is_scoped_for_a_school_head(client, head_a, school_a, school_b):
    make_teacher(school_a)
    make_teacher(school_b)
    client.force_login(head_a)
    data = client.get("/indicators/api/values.json", {"period": "2025", "level": "school"}).json()
    assert {row["entity"] for row in data["rows"]} == {"СОШ №1"}
    district = client.get("/indicators/api/values.json", {"period": "2025", "level": "district"}).json()
    k1 = next(r for r in district["rows"] if r["code"] == "K1")
    assert k1["value"] == 2


def test_json_for_a_methodologist_excludes_other_municipalities(client, methodologist, school_a, school_far):
    make_teacher(school_a)
    make_teacher(school_far)
    client.force_login(methodologist)
    data = client.get("/indicators/api/values.json", {"period": "2025", "level": "school"}).json()
    assert {row["entity"] for row in data["rows"]} == {"СОШ №1"}


def test_json_rejects_a_bad_period_in_russian(client, viewer):
    client.force_login(viewer)
    response = client.get("/indicators/api/values.json", {"period": "вчера"})
    assert response.status_code == 400
    assert "Не удалось разобрать период" in response.json()["error"]


def test_json_requires_login(client, db):
    assert client.get("/indicators/api/values.json").status_code == 302


def test_command_prints_json_and_csv(municipality):
    school = SchoolFactory(municipality=municipality)
    make_teacher(school)
    out = StringIO()
    call_command("indicators", "--year", "2025", "--level", "district", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert next(r for r in data["rows"] if r["code"] == "K1")["value"] == 1
    out = StringIO()
    call_command("indicators", "--year", "2025", "--format", "csv", "--codes", "D1", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("level,entity,code") and len(lines) == 2
    out = StringIO()
    call_command("indicators", "--year", "2025", stdout=out)
    assert "Количество педработников" in out.getvalue()
