"""A fresh database: reference data and the catalogue come with `migrate`, no demo data unless asked for, and
`createsuperuser` makes the first administrator. Data migrations never depend on live code."""
import ast
import json
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from indicators.models import Indicator, RatingCriterion
from teachers import models as m

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = {"mskoko", "teachers", "indicators", "monitoring", "reports"}
# Module-level imports Django writes for callables that fields reference (a validator, a default): documented
# as having to stay importable, and never run to produce data.
FIELD_REFERENCES = {"teachers.models.staff", "teachers.models.surveys", "reports.models"}


def test_reference_data_and_the_catalogue_are_there_after_migrate(db):
    """The test database is built by `migrate` alone (conftest loads nothing)."""
    fixture = json.loads((ROOT / "fixtures" / "reference.json").read_text(encoding="utf-8"))
    for row in fixture:
        model = m.__dict__[next(name for name in dir(m) if name.lower() == row["model"].split(".")[1])]
        assert model.objects.filter(code=row["fields"]["code"]).exists(), row
    assert m.Cluster.objects.count() == 3 and m.Position.objects.exists() and m.Subject.objects.exists()
    catalogue = json.loads((ROOT / "fixtures" / "indicators.json").read_text(encoding="utf-8"))
    migrated = {(i.code, i.valid_from): i for i in Indicator.objects.select_related("direction")}
    assert set(migrated) == {(row["code"], row["valid_from"]) for row in catalogue["indicators"]}
    for row in catalogue["indicators"]:  # the fixture and what the frozen migrations load agree, field by field
        ind = migrated[(row["code"], row["valid_from"])]
        for name, value in row.items():
            actual = ind.direction.code if name == "direction" else getattr(ind, name)
            assert actual == value, (row["code"], name)
    assert RatingCriterion.objects.count() == 8
    assert not m.School.objects.exists() and not m.User.objects.exists()


def test_data_migrations_import_no_live_project_code():
    for path in ROOT.glob("*/migrations/0*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                for name in names:
                    if name.split(".")[0] in PROJECT_PACKAGES:
                        assert node in tree.body and name in FIELD_REFERENCES, \
                            f"{path.relative_to(ROOT)} imports {name}: freeze the data in the migration instead"


def test_bootstrap_makes_no_demo_district_outside_the_embedded_default(db, settings):
    settings.EMBEDDED_DEFAULT = False  # DATABASE_URL set (PostgreSQL) or the production settings
    out = StringIO()
    call_command("bootstrap", stdout=out)
    assert not m.School.objects.exists() and not m.User.objects.exists()
    assert "Демонстрационный район не создаётся" in out.getvalue() and "bootstrap --demo" in out.getvalue()


def test_createsuperuser_makes_the_first_administrator(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "first-Admin-pass-2026")
    call_command("createsuperuser", "--noinput", username="root", email="root@example.ru", stdout=StringIO())
    user = m.User.objects.get(username="root")
    assert user.role == m.Role.ADMIN and user.is_superuser and user.is_staff
    assert user.check_password("first-Admin-pass-2026")
