"""Y1 counts a young specialist whose school and municipal mentors were assigned at the same time in the period
(a school mentor in January and a municipal one from November who never overlapped no longer count)."""
from django.db import migrations

OLD, NEW = "young+school_mentor+municipal_mentor", "young+both_mentors"


def forward(apps, schema_editor):
    apps.get_model("indicators", "Indicator").objects.filter(code="Y1", numerator=OLD).update(numerator=NEW)


def backward(apps, schema_editor):
    apps.get_model("indicators", "Indicator").objects.filter(code="Y1", numerator=NEW).update(numerator=OLD)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0007_year_scoped_weights_and_closed_years")]
    operations = [migrations.RunPython(forward, backward)]
