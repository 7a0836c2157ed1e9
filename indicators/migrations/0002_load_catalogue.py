from django.db import migrations


def load(apps, schema_editor):
    from indicators.catalogue import load_catalogue

    load_catalogue(apps.get_model("indicators", "Direction"), apps.get_model("indicators", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
