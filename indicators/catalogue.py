"""The catalogue fixture (fixtures/indicators.json): the demo district's targets.

The catalogue itself arrives with `migrate` (indicators/migrations 0002, 0004: data frozen in the migrations);
tests/test_first_run.py checks that the fixture and the migrated catalogue agree."""
import json
from pathlib import Path

from django.conf import settings

CATALOGUE_FILE = Path(settings.BASE_DIR) / "fixtures" / "indicators.json"
DEMO_TARGET_YEARS = (2023, 2024, 2025, 2026)


def read_catalogue():
    return json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))


def load_demo_targets(municipality, years=DEMO_TARGET_YEARS):
    from teachers.models import Cluster

    from .models import Target

    data = read_catalogue()
    clusters = {c.code: c for c in Cluster.objects.all()}
    rows = []
    for year in years:
        for code, value in data["demo_targets"].items():
            rows.append(Target(indicator_code=code, year=year, municipality=municipality, cluster=None, value=value))
        for cluster_code, values in data["demo_cluster_targets"].items():
            for code, value in values.items():
                rows.append(Target(indicator_code=code, year=year, municipality=municipality,
                                   cluster=clusters[cluster_code], value=value))
    Target.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
