"""Reference data (справочники) arrive with `migrate`: clusters, positions, subjects, education levels,
qualification categories, event kinds and levels, deficit areas, association kinds.

The rows are frozen here, as fixtures/reference.json had them on 2026-12-03, and loaded through the historical
models only, so a later change of the fixture or the live models cannot break a fresh install. A row whose
`code` exists is left as an admin edited it; a new row keeps its primary key when it is free (the fixture can
still be loaded with loaddata). A new reference row later needs a migration of its own.
"""
from django.core.management.color import no_style
from django.db import migrations

REFERENCE = {
    'cluster': [
        {'pk': 1, 'code': 'mksh', 'name': 'Малокомплектные школы', 'order': 1, 'short_name': 'МКШ'},
        {'pk': 2, 'code': 'umksh', 'name': 'Условно малокомплектные школы', 'order': 2, 'short_name': 'УМКШ'},
        {'pk': 3, 'code': 'gymnasium', 'name': 'Гимназии', 'order': 3, 'short_name': 'гимназия'},
    ],
    'position': [
        {'pk': 1, 'code': 'teacher', 'name': 'учитель', 'order': 1, 'is_teaching': True},
        {'pk': 2, 'code': 'primary-teacher', 'name': 'учитель начальных классов', 'order': 2, 'is_teaching': True},
        {'pk': 3, 'code': 'psychologist', 'name': 'педагог-психолог', 'order': 3, 'is_teaching': False},
        {'pk': 4, 'code': 'social-pedagogue', 'name': 'социальный педагог', 'order': 4, 'is_teaching': False},
        {'pk': 5, 'code': 'speech-therapist', 'name': 'учитель-логопед', 'order': 5, 'is_teaching': False},
        {'pk': 6, 'code': 'defectologist', 'name': 'учитель-дефектолог', 'order': 6, 'is_teaching': False},
        {'pk': 7, 'code': 'additional-education', 'name': 'педагог дополнительного образования', 'order': 7, 'is_teaching': False},
        {'pk': 8, 'code': 'organizer', 'name': 'педагог-организатор', 'order': 8, 'is_teaching': False},
        {'pk': 9, 'code': 'senior-counselor', 'name': 'старший вожатый', 'order': 9, 'is_teaching': False},
        {'pk': 10, 'code': 'tutor', 'name': 'тьютор', 'order': 10, 'is_teaching': False},
        {'pk': 11, 'code': 'obzh-teacher', 'name': 'преподаватель-организатор ОБЗР', 'order': 11, 'is_teaching': True},
        {'pk': 12, 'code': 'advisor', 'name': 'советник директора по воспитанию', 'order': 12, 'is_teaching': False},
        {'pk': 13, 'code': 'librarian-teacher', 'name': 'педагог-библиотекарь', 'order': 13, 'is_teaching': False},
        {'pk': 14, 'code': 'educator', 'name': 'воспитатель', 'order': 14, 'is_teaching': False},
        {'pk': 15, 'code': 'methodist', 'name': 'методист', 'order': 15, 'is_teaching': False},
    ],
    'subject': [
        {'pk': 1, 'code': 'russian', 'name': 'Русский язык', 'order': 1},
        {'pk': 2, 'code': 'literature', 'name': 'Литература', 'order': 2},
        {'pk': 3, 'code': 'math', 'name': 'Математика', 'order': 3},
        {'pk': 4, 'code': 'informatics', 'name': 'Информатика', 'order': 4},
        {'pk': 5, 'code': 'history', 'name': 'История', 'order': 5},
        {'pk': 6, 'code': 'social', 'name': 'Обществознание', 'order': 6},
        {'pk': 7, 'code': 'geography', 'name': 'География', 'order': 7},
        {'pk': 8, 'code': 'biology', 'name': 'Биология', 'order': 8},
        {'pk': 9, 'code': 'chemistry', 'name': 'Химия', 'order': 9},
        {'pk': 10, 'code': 'physics', 'name': 'Физика', 'order': 10},
        {'pk': 11, 'code': 'english', 'name': 'Английский язык', 'order': 11},
        {'pk': 12, 'code': 'german', 'name': 'Немецкий язык', 'order': 12},
        {'pk': 13, 'code': 'pe', 'name': 'Физическая культура', 'order': 13},
        {'pk': 14, 'code': 'obzr', 'name': 'ОБЗР', 'order': 14},
        {'pk': 15, 'code': 'technology', 'name': 'Технология', 'order': 15},
        {'pk': 16, 'code': 'music', 'name': 'Музыка', 'order': 16},
        {'pk': 17, 'code': 'art', 'name': 'Изобразительное искусство', 'order': 17},
        {'pk': 18, 'code': 'primary', 'name': 'Начальные классы', 'order': 18},
        {'pk': 19, 'code': 'kuban', 'name': 'Кубановедение', 'order': 19},
        {'pk': 20, 'code': 'orkse', 'name': 'ОРКСЭ', 'order': 20},
    ],
    'educationlevel': [
        {'pk': 1, 'code': 'higher-ped', 'name': 'высшее педагогическое', 'order': 1, 'is_higher': True, 'is_pedagogical': True},
        {'pk': 2, 'code': 'higher', 'name': 'высшее непедагогическое', 'order': 2, 'is_higher': True, 'is_pedagogical': False},
        {'pk': 3, 'code': 'spo-ped', 'name': 'среднее профессиональное педагогическое', 'order': 3, 'is_higher': False, 'is_pedagogical': True},
        {'pk': 4, 'code': 'spo', 'name': 'среднее профессиональное непедагогическое', 'order': 4, 'is_higher': False, 'is_pedagogical': False},
        {'pk': 5, 'code': 'none', 'name': 'без профессионального образования', 'order': 5, 'is_higher': False, 'is_pedagogical': False},
    ],
    'qualificationcategory': [
        {'pk': 1, 'code': 'highest', 'name': 'высшая', 'order': 1},
        {'pk': 2, 'code': 'first', 'name': 'первая', 'order': 2},
        {'pk': 3, 'code': 'szd', 'name': 'соответствие занимаемой должности', 'order': 3},
        {'pk': 4, 'code': 'none', 'name': 'без категории', 'order': 4},
    ],
    'deficitarea': [
        {'pk': 1, 'code': 'subject', 'name': 'предметные', 'order': 1},
        {'pk': 2, 'code': 'methodical', 'name': 'методические', 'order': 2},
        {'pk': 3, 'code': 'psych-ped', 'name': 'психолого-педагогические', 'order': 3},
        {'pk': 4, 'code': 'communicative', 'name': 'коммуникативные', 'order': 4},
        {'pk': 5, 'code': 'digital', 'name': 'цифровые (ИКТ-компетенции)', 'order': 5},
        {'pk': 6, 'code': 'assessment', 'name': 'оценочная деятельность, функциональная грамотность', 'order': 6},
        {'pk': 7, 'code': 'upbringing', 'name': 'воспитательная работа', 'order': 7},
        {'pk': 8, 'code': 'legal', 'name': 'нормативно-правовые', 'order': 8},
    ],
    'eventkind': [
        {'pk': 1, 'code': 'course', 'name': 'курсы повышения квалификации', 'order': 1, 'group': 'course'},
        {'pk': 2, 'code': 'retraining', 'name': 'профессиональная переподготовка', 'order': 2, 'group': 'retraining'},
        {'pk': 3, 'code': 'seminar', 'name': 'семинар', 'order': 3, 'group': 'methodical'},
        {'pk': 4, 'code': 'conference', 'name': 'конференция', 'order': 4, 'group': 'methodical'},
        {'pk': 5, 'code': 'laboratory', 'name': 'педагогическая лаборатория', 'order': 5, 'group': 'methodical'},
        {'pk': 6, 'code': 'master-class', 'name': 'мастер-класс', 'order': 6, 'group': 'methodical'},
        {'pk': 7, 'code': 'webinar', 'name': 'вебинар', 'order': 7, 'group': 'methodical'},
        {'pk': 8, 'code': 'contest', 'name': 'конкурс профессионального мастерства', 'order': 8, 'group': 'contest'},
        {'pk': 9, 'code': 'publication', 'name': 'публикация', 'order': 9, 'group': 'publication'},
        {'pk': 10, 'code': 'rmo-meeting', 'name': 'заседание РМО', 'order': 10, 'group': 'association'},
        {'pk': 11, 'code': 'tutor-club', 'name': 'заседание тьюторского клуба', 'order': 11, 'group': 'association'},
        {'pk': 12, 'code': 'network', 'name': 'сетевое мероприятие (фестиваль, форум, слёт)', 'order': 12, 'group': 'network'},
    ],
    'eventlevel': [
        {'pk': 1, 'code': 'school', 'name': 'школьный', 'order': 1, 'rank': 1},
        {'pk': 2, 'code': 'municipal', 'name': 'муниципальный', 'order': 2, 'rank': 2},
        {'pk': 3, 'code': 'regional', 'name': 'региональный', 'order': 3, 'rank': 3},
        {'pk': 4, 'code': 'federal', 'name': 'федеральный', 'order': 4, 'rank': 4},
        {'pk': 5, 'code': 'international', 'name': 'международный', 'order': 5, 'rank': 5},
    ],
    'associationkind': [
        {'pk': 1, 'code': 'rmo', 'name': 'районное методическое объединение (РМО)', 'order': 1, 'is_network': True, 'is_school_level': False},
        {'pk': 2, 'code': 'shmo', 'name': 'школьное методическое объединение (ШМО)', 'order': 2, 'is_network': True, 'is_school_level': True},
        {'pk': 3, 'code': 'tutor-club', 'name': 'тьюторский клуб', 'order': 3, 'is_network': True, 'is_school_level': False},
        {'pk': 4, 'code': 'community', 'name': 'профессиональное сообщество', 'order': 4, 'is_network': True, 'is_school_level': False},
    ],
}


def load(apps, schema_editor):
    connection = schema_editor.connection
    touched = []
    for model_name, rows in REFERENCE.items():
        model = apps.get_model("teachers", model_name)
        fields = {f.name for f in model._meta.get_fields()}
        codes = set(model.objects.values_list("code", flat=True))
        pks = set(model.objects.values_list("pk", flat=True))
        for row in rows:
            if row["code"] in codes:
                continue
            obj = model(**{k: v for k, v in row.items() if k in fields and k != "pk"})
            if row["pk"] not in pks:
                obj.pk = row["pk"]
            obj.save()
            touched.append(model)
    statements = connection.ops.sequence_reset_sql(no_style(), list(dict.fromkeys(touched)))
    with connection.cursor() as cursor:  # explicit primary keys leave PostgreSQL sequences behind
        for sql in statements:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("teachers", "0007_dated_category_and_education")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
