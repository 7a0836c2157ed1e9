from django.db import migrations


def load(apps, schema_editor):
    """K9 (share of vacancies) and K10 (mean ставка) join the catalogue; M3 becomes a rating component."""
    from indicators.catalogue import sync_catalogue

    sync_catalogue(apps.get_model("indicators", "Direction"), apps.get_model("indicators", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_catalogue_history")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
