"""Document kinds come from the registry (no choices: a new document needs no migration); DOCX; who signs."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0002_region_briefing'),
        ('teachers', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='job',
            name='fmt',
            field=models.CharField(choices=[('pdf', 'PDF'), ('xlsx', 'XLSX'), ('docx', 'DOCX (Word)')], max_length=5, verbose_name='формат'),
        ),
        migrations.AlterField(
            model_name='job',
            name='kind',
            field=models.CharField(max_length=30, verbose_name='документ'),
        ),
        migrations.CreateModel(
            name='Signatories',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('signer_title', models.CharField(blank=True, max_length=200, verbose_name='должность подписывающего')),
                ('signer_name', models.CharField(blank=True, max_length=200, verbose_name='подписывающий (ФИО)')),
                ('executor_name', models.CharField(blank=True, max_length=200, verbose_name='исполнитель (ФИО)')),
                ('executor_phone', models.CharField(blank=True, max_length=60, verbose_name='телефон исполнителя')),
                ('approvers', models.TextField(blank=True, verbose_name='согласование: по строке «должность; ФИО»')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='изменено')),
                ('municipality', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='signatories', to='teachers.municipality', verbose_name='муниципалитет')),
            ],
            options={
                'verbose_name': 'подписи и согласования документов',
                'verbose_name_plural': 'подписи и согласования документов',
            },
        ),
    ]
