"""Loading the catalogue (fixtures/indicators.json) and the demo district's targets."""
import json
from pathlib import Path

from django.conf import settings

CATALOGUE_FILE = Path(settings.BASE_DIR) / "fixtures" / "indicators.json"
DEMO_TARGET_YEARS = (2023, 2024, 2025, 2026)


def read_catalogue():
    return json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))


def load_catalogue(Direction, Indicator):
    """Create missing directions and indicator versions; never overwrite what an admin edited."""
    data = read_catalogue()
    directions = {}
    for row in data["directions"]:
        directions[row["code"]], _ = Direction.objects.get_or_create(
            code=row["code"], defaults={"name": row["name"], "order": row["order"]})
    created = 0
    for row in data["indicators"]:
        fields = dict(row)
        fields["direction"] = directions[fields.pop("direction")]
        _, was_created = Indicator.objects.get_or_create(
            code=row["code"], valid_from=row["valid_from"],
            defaults={k: v for k, v in fields.items() if k not in ("code", "valid_from")})
        created += was_created
    return created


def sync_catalogue(Direction, Indicator, fields=("order", "for_rating")):
    """Load what is missing, then bring `fields` of the shipped versions in line with the fixture
    (used by migrations that extend the catalogue: presentation order, rating flags)."""
    created = load_catalogue(Direction, Indicator)
    for row in read_catalogue()["indicators"]:
        Indicator.objects.filter(code=row["code"], valid_from=row["valid_from"]).update(
            **{name: row[name] for name in fields if name in row})
    return created


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
