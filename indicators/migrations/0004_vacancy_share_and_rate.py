"""K9 (share of vacancies) and K10 (mean ставка) join the catalogue; the K- and Q-indicators move down to make
room; M3 becomes a rating component.

The data are frozen here (see 0002): nothing is read from fixtures/indicators.json or the live code.
"""
from django.db import migrations

INDICATORS = [
    {'code': 'K9', 'direction': 'staffing', 'name': 'Доля вакантных мест в общей потребности в педагогических работниках (вакансии / (педработники + вакансии))', 'short_name': 'Доля вакансий', 'kind': 'share', 'subject': 'teachers', 'numerator': 'open_vacancies', 'denominator': 'staff_and_vacancies', 'numerator_label': 'В', 'denominator_label': 'ЧП+В', 'unit': '%', 'higher_is_better': False, 'source': 'банк вакансий', 'for_rating': False, 'staff': 'main', 'valid_from': 2021, 'order': 16},
    {'code': 'K10', 'direction': 'staffing', 'name': 'Нагрузка педагогических работников (средняя ставка на педагога)', 'short_name': 'Средняя ставка', 'kind': 'mean', 'subject': 'teachers', 'numerator': 'rate', 'denominator': '', 'numerator_label': '', 'denominator_label': '', 'unit': 'ст.', 'higher_is_better': False, 'source': 'тарификация ОО', 'for_rating': False, 'staff': 'main', 'valid_from': 2021, 'order': 20},
]

# Presentation order and rating flag of every shipped version (valid_from 2021), as of this migration.
ORDER_AND_RATING = {
    'D1': {'order': 1, 'for_rating': False},
    'D2': {'order': 2, 'for_rating': False},
    'M1': {'order': 3, 'for_rating': False},
    'M2': {'order': 4, 'for_rating': False},
    'M3': {'order': 5, 'for_rating': True},
    'M4': {'order': 6, 'for_rating': False},
    'M5': {'order': 7, 'for_rating': False},
    'M6': {'order': 8, 'for_rating': False},
    'Y1': {'order': 9, 'for_rating': False},
    'Y2': {'order': 10, 'for_rating': False},
    'N1': {'order': 11, 'for_rating': False},
    'N2': {'order': 12, 'for_rating': False},
    'N3': {'order': 13, 'for_rating': False},
    'K1': {'order': 14, 'for_rating': False},
    'K2': {'order': 15, 'for_rating': False},
    'K9': {'order': 16, 'for_rating': False},
    'K3': {'order': 17, 'for_rating': False},
    'K4': {'order': 18, 'for_rating': False},
    'K5': {'order': 19, 'for_rating': False},
    'K10': {'order': 20, 'for_rating': False},
    'K6': {'order': 21, 'for_rating': False},
    'K7': {'order': 22, 'for_rating': False},
    'K8': {'order': 23, 'for_rating': False},
    'Q1': {'order': 24, 'for_rating': True},
    'Q2': {'order': 25, 'for_rating': True},
    'Q3': {'order': 26, 'for_rating': True},
    'Q4': {'order': 27, 'for_rating': True},
    'Q5': {'order': 28, 'for_rating': True},
    'Q6': {'order': 29, 'for_rating': True},
    'Q7': {'order': 30, 'for_rating': True},
}


def load(apps, schema_editor):
    """Add K9 and K10 where missing (never overwriting an admin's edit), then set the order and rating flag of
    the shipped versions. Only fields the historical model has at this point are set."""
    Direction = apps.get_model("indicators", "Direction")
    Indicator = apps.get_model("indicators", "Indicator")
    fields = {f.name for f in Indicator._meta.get_fields()}
    directions = {d.code: d for d in Direction.objects.all()}
    for row in INDICATORS:
        if row["direction"] not in directions:  # a direction an admin deleted: nothing to attach the row to
            continue
        values = {k: v for k, v in row.items() if k in fields and k not in ("code", "valid_from", "direction")}
        Indicator.objects.get_or_create(code=row["code"], valid_from=row["valid_from"],
                                        defaults={**values, "direction": directions[row["direction"]]})
    for code, values in ORDER_AND_RATING.items():
        Indicator.objects.filter(code=code, valid_from=2021).update(**values)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_catalogue_history")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
