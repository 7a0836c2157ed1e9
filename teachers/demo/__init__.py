"""Demo data: seed 000's district (Усть-Лабинский район) for people to look at, a region for benchmarks.

Used by `manage.py seed_demo`, `manage.py bootstrap` and the tests:

* `load_reference()` — reference rows of fixtures/reference.json that are missing, matched by `code`;
* `seed_district(seed)` — the district, its 27 schools, ~800 teachers and their 2023–2026 history, demo users;
* `seed_region(seed, municipalities=None, schools_per_municipality=None)` — the other municipalities of the
  region (≈1,500 schools, ≈60,000 teachers), the same generator at scale; the parameters make it small for tests;
* `purge_district()` / `purge_region()` — delete what those generated (reference data and other users stay);
* `DEMO_USERS`, `demo_logins()` — one login per role with fixed demo passwords.

Other apps add their own demo records (targets, reports, the management cycle) by connecting to
`demo_seeded`, sent after a scale is generated with `scale` ("district"/"region"), `municipalities` and `seed`.
"""
import json
import random
import time
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import CASCADE, DO_NOTHING, SET_NULL, Count, Q
from django.db.models.deletion import get_candidate_relations_to_delete
from django.dispatch import Signal

from teachers import models as m

from . import data
from .builder import DEMO_TODAY, MunicipalityBuilder, Refs, district_plan, region_plan

__all__ = [
    "DEMO_TODAY", "DEMO_USERS", "DemoDataError", "demo_logins", "demo_purging", "demo_seeded", "district_exists",
    "ensure_district_absent", "ensure_region_absent", "format_logins", "load_reference", "purge_district",
    "purge_region", "region_exists", "seed_district", "seed_region", "summary",
]

REFERENCE_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "reference.json"
DISTRICT_NAME = data.DISTRICT["name"]
REGION_NAMES = [row[0] for row in data.REGION_MUNICIPALITIES]
# Demo users are told from people's own accounts by this (reserved, undeliverable) e-mail domain.
DEMO_EMAIL_DOMAIN = "demo.invalid"

demo_seeded = Signal()  # kwargs: scale, municipalities, seed
# Sent inside the purge's transaction before anything is deleted, so apps that protect their rows
# (school reports) remove their demo rows first. kwargs: municipalities (pks), schools (pks).
demo_purging = Signal()


class DemoDataError(Exception):
    """A demo operation that cannot go ahead; the message is for people (Russian)."""


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    last_name: str = ""
    first_name: str = ""
    patronymic: str = ""
    position_title: str = ""
    school: str = ""  # short name of the school, for school heads

    @property
    def email(self):
        return f"{self.username}@{DEMO_EMAIL_DOMAIN}"


DEMO_USERS = [
    DemoUser("admin", "demo-admin-2026", m.Role.ADMIN, "Администратор", "", "", "администратор системы"),
    DemoUser("metodist", "demo-metodist-2026", m.Role.METHODOLOGIST, "Езубова", "Юлия", "Викторовна",
             "методист МБУ «Центр развития образования»"),
    DemoUser("director", "demo-director-2026", m.Role.SCHOOL_HEAD, position_title="директор",
             school="МАОУ Гимназия № 5"),
    DemoUser("director2", "demo-director2-2026", m.Role.SCHOOL_HEAD, position_title="директор",
             school="МБОУ ООШ № 17"),
    DemoUser("uo", "demo-uo-2026", m.Role.VIEWER, "Кравченко", "Ольга", "Николаевна",
             "главный специалист управления образованием"),
]


# -- reference data ------------------------------------------------------------------------------------------------
def load_reference(path=REFERENCE_FIXTURE):
    """Add the reference rows whose `code` is missing; existing rows are left as admins edited them.

    Returns the number of rows added. A new row keeps the fixture's primary key when it is free, so the
    fixture can still be loaded with loaddata later.
    """
    rows = json.loads(Path(path).read_text(encoding="utf-8"))
    by_model = {}
    for row in rows:
        by_model.setdefault(row["model"], []).append(row)
    added = 0
    touched = []
    with transaction.atomic():
        for label, model_rows in by_model.items():
            model = apps.get_model(label)
            codes = set(model.objects.values_list("code", flat=True))
            pks = set(model.objects.values_list("pk", flat=True))
            for row in model_rows:
                if row["fields"]["code"] in codes:
                    continue
                obj = model(**row["fields"])
                if row.get("pk") is not None and row["pk"] not in pks:
                    obj.pk = row["pk"]
                obj.save()
                added += 1
                if model not in touched:
                    touched.append(model)
        if touched:  # explicit primary keys leave PostgreSQL sequences behind
            statements = connection.ops.sequence_reset_sql(no_style(), touched)
            if statements:
                with connection.cursor() as cursor:
                    for sql in statements:
                        cursor.execute(sql)
    return added


# -- existence and clean-up ----------------------------------------------------------------------------------------
def district_exists():
    return m.Municipality.objects.filter(name=DISTRICT_NAME).exists()


def region_exists():
    return m.Municipality.objects.filter(name__in=REGION_NAMES).exists()


def _demo_users():
    return m.User.objects.filter(username__in=[u.username for u in DEMO_USERS],
                                 email__endswith=f"@{DEMO_EMAIL_DOMAIN}")


def purge_district():
    """Delete the demo district and the demo users; returns the number of schools removed."""
    return _purge_municipalities([DISTRICT_NAME], users=_demo_users())


def purge_region():
    return _purge_municipalities(REGION_NAMES, users=m.User.objects.none())


def _purge_municipalities(names, users):
    """Delete the municipalities and everything hanging off them, fast (no per-row signals or history).

    Teachers (with their appointments, results, routes, participations, mentorships, memberships…), then the
    municipality-level records, the users given, the schools and the municipalities. Rows of other apps that
    point at them are deleted or unlinked as their foreign keys say; a protecting one stops everything.
    """
    municipalities = list(m.Municipality.objects.filter(name__in=names).values_list("pk", flat=True))
    if not municipalities:
        return 0
    schools = list(m.School.objects.filter(municipality__in=municipalities).values_list("pk", flat=True))
    user_ids = list(users.values_list("pk", flat=True))
    blocking = m.User.objects.filter(Q(school__in=schools) | Q(municipality__in=municipalities)).exclude(
        pk__in=user_ids)
    if blocking.exists():
        logins = ", ".join(blocking.order_by("username").values_list("username", flat=True)[:10])
        raise DemoDataError(
            "К демонстрационным данным привязаны пользователи, созданные не командой seed_demo: "
            f"{logins}. Назначьте им другую ОО или муниципалитет (или удалите их) и повторите команду."
        )
    with transaction.atomic():
        demo_purging.send(sender=None, municipalities=municipalities, schools=schools)
        teachers = list(m.Teacher.objects.filter(appointments__school__in=schools).values_list("pk", flat=True)
                        .distinct())
        _purge(m.Teacher, teachers)
        for model in (m.Event, m.Association, m.DiagnosticCampaign):
            _purge(model, list(model.objects.filter(municipality__in=municipalities).values_list("pk", flat=True)))
        for model in (m.Vacancy, m.ReserveEntry, m.MentorshipModelAdoption):
            _purge(model, list(model.objects.filter(school__in=schools).values_list("pk", flat=True)))
        _purge(m.User, user_ids)
        _purge(m.School, schools)
        _purge(m.Municipality, municipalities)
    return len(schools)


def _purge(model, pks, chunk=2000):
    for start in range(0, len(pks), chunk):
        _purge_queryset(model._base_manager.filter(pk__in=pks[start:start + chunk]))


def _purge_queryset(queryset):
    relations = list(get_candidate_relations_to_delete(queryset.model._meta))
    # Cascades first: rows they remove need no unlinking afterwards (a route's activities, say).
    relations.sort(key=lambda relation: relation.on_delete is not CASCADE)
    for relation in relations:
        on_delete = relation.on_delete
        if on_delete is DO_NOTHING:
            continue
        related = relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": queryset})
        if on_delete is CASCADE:
            _purge_queryset(related)
        elif on_delete is SET_NULL:
            related.update(**{relation.field.name: None})
        elif related.exists():  # PROTECT, RESTRICT and anything cleverer: leave the decision to a person
            raise DemoDataError(
                f"Демонстрационные данные нельзя удалить: на них ссылаются записи «"
                f"{relation.related_model._meta.verbose_name_plural}». Удалите эти записи и повторите команду."
            )
    queryset._raw_delete(queryset.db)


# -- generation ----------------------------------------------------------------------------------------------------
def ensure_district_absent():
    if district_exists():
        raise DemoDataError(
            f"Демонстрационный район «{DISTRICT_NAME}» уже есть в базе. Чтобы создать его заново, запустите "
            "manage.py seed_demo --reset (данные района будут удалены; справочники и остальные пользователи "
            "сохранятся)."
        )


def ensure_region_absent():
    if region_exists():
        raise DemoDataError(
            "Данные регионального масштаба уже есть в базе. Чтобы создать их заново, запустите "
            "manage.py seed_demo --scale region --reset (будут удалены только они; демо-район, справочники и "
            "пользователи сохранятся)."
        )


def seed_district(seed=0):
    """Generate the district of seed 000 with demo users. Refuses when it exists (purge first)."""
    ensure_district_absent()
    load_reference()
    rng = random.Random(seed)
    with transaction.atomic():
        municipality = MunicipalityBuilder(district_plan(rng), rng, Refs()).build()
        skipped = create_demo_users(municipality)
        demo_seeded.send(sender=__name__, scale="district", municipalities=[municipality], seed=seed)
    municipality.skipped_users = skipped
    return municipality


def seed_region(seed=0, municipalities=None, schools_per_municipality=None, progress=None):
    """Generate the region's other municipalities (all 43, or the first `municipalities`).

    `schools_per_municipality` overrides the realistic school counts (tests use tiny values).
    `progress(index, total, municipality, seconds)` is called after each municipality.
    """
    ensure_region_absent()
    load_reference()
    refs = Refs()
    rows = data.REGION_MUNICIPALITIES[:municipalities] if municipalities else data.REGION_MUNICIPALITIES
    created = []
    with transaction.atomic():
        for index, (name, place, urban, school_count) in enumerate(rows):
            started = time.perf_counter()
            # One generator per municipality: adding or dropping one does not reshuffle the others.
            rng = random.Random(f"region:{seed}:{name}")
            head = _head_name(rng)
            plan = region_plan(rng, index, name, place, urban, schools_per_municipality or school_count, head)
            created.append(MunicipalityBuilder(plan, rng, refs).build())
            if progress:
                progress(index + 1, len(rows), created[-1], time.perf_counter() - started)
        demo_seeded.send(sender=__name__, scale="region", municipalities=created, seed=seed)
    return created


def _head_name(rng):
    female = rng.random() < 0.6
    last = rng.choice(data.SURNAMES_RUSSIAN + data.SURNAMES_UKRAINIAN)
    if female and last.endswith(("ов", "ев", "ёв", "ин")):
        last += "а"
    first = rng.choice(data.FEMALE_NAMES_MID if female else data.MALE_NAMES_MID)
    father = rng.choice([n for n in data.MALE_NAMES_OLD if n in data.PATRONYMICS])
    return f"{last} {first} {data.PATRONYMICS[father][1 if female else 0]}"


def create_demo_users(municipality):
    """One login per role. A same-named account that is not a demo one is left alone (returned)."""
    skipped = []
    for spec in DEMO_USERS:
        if m.User.objects.filter(username=spec.username).exists():
            skipped.append(spec.username)
            continue
        user = m.User(username=spec.username, email=spec.email, role=spec.role, last_name=spec.last_name,
                      first_name=spec.first_name, patronymic=spec.patronymic, position_title=spec.position_title)
        if spec.role == m.Role.ADMIN:
            user.is_staff = user.is_superuser = True
        elif spec.role == m.Role.SCHOOL_HEAD:
            school = m.School.objects.get(municipality=municipality, short_name=spec.school)
            user.school = school
            user.municipality = municipality
            user.last_name, user.first_name, user.patronymic = (school.head_name.split(" ") + ["", "", ""])[:3]
        else:
            user.municipality = municipality
        user.set_password(spec.password)
        user.save()
    return skipped


def demo_logins():
    """[(login, password, role and scope)] of the demo users present in the database, in DEMO_USERS order."""
    present = {u.username: u for u in _demo_users().select_related("school", "municipality")}
    rows = []
    for spec in DEMO_USERS:
        user = present.get(spec.username)
        if user is None:
            continue
        scope = user.school or user.municipality
        role = m.Role(spec.role).label + (f" — {scope}" if scope else "")
        rows.append((spec.username, spec.password, role))
    return rows


def format_logins():
    rows = demo_logins()
    if not rows:
        return []
    width = max(len(r[0]) for r in rows) + 2
    pwidth = max(len(r[1]) for r in rows) + 2
    lines = ["Демо-пользователи (логин / пароль / роль):"]
    lines += [f"  {login:<{width}}{password:<{pwidth}}{role}" for login, password, role in rows]
    return lines


# -- counts --------------------------------------------------------------------------------------------------------
def summary(municipalities, on=DEMO_TODAY):
    """[(label, number)] describing the demo data of `municipalities` (for the command's report)."""
    ids = [mu.pk for mu in municipalities]
    schools = m.School.objects.filter(municipality__in=ids)
    teachers = m.Teacher.objects.filter(appointments__school__municipality__in=ids).distinct()
    active_main = m.Teacher.objects.active_on(on, schools=schools, employment=m.Employment.MAIN)
    active_any = m.Teacher.objects.active_on(on, schools=schools)
    results = m.DiagnosticResult.objects.filter(campaign__municipality__in=ids)
    routes = m.IndividualRoute.objects.filter(teacher__in=teachers.values("pk"))
    activities = m.RouteActivity.objects.filter(route__in=routes.values("pk"))
    by_cluster = ", ".join(f"{c['cluster__short_name']} {c['n']}" for c in
                           schools.values("cluster__short_name").annotate(n=Count("pk")).order_by("cluster__order"))
    return [
        ("муниципалитетов", len(ids)),
        ("ОО", f"{schools.count()} ({by_cluster})"),
        ("педагогов (все записи)", teachers.count()),
        (f"работают на {on:%d.%m.%Y}: основные / внешние совместители",
         f"{active_main.count()} / {active_any.count() - active_main.count()}"),
        (f"молодых специалистов на {on:%d.%m.%Y}", active_main.young_specialists(on).count()),
        ("должностей (приёмов на работу)", m.Appointment.objects.filter(school__in=schools).count()),
        ("диагностик", m.DiagnosticCampaign.objects.filter(municipality__in=ids).count()),
        ("результатов диагностики (с дефицитами)", f"{results.count()} ({results.filter(has_deficits=True).count()})"),
        ("ИОМ", routes.count()),
        ("мероприятий ИОМ (выполнено, из них по участию)",
         f"{activities.count()} ({activities.filter(done_on__isnull=False).count()}, "
         f"{activities.filter(participation__isnull=False).count()})"),
        ("мероприятий", m.Event.objects.filter(municipality__in=ids).count()),
        ("участий в мероприятиях", m.Participation.objects.filter(event__municipality__in=ids).count()),
        ("наставничеств", m.Mentorship.objects.filter(mentee__in=teachers.values("pk")).count()),
        ("объединений (РМО, ШМО, клуб, сообщество)", m.Association.objects.filter(municipality__in=ids).count()),
        ("участий в объединениях", m.Membership.objects.filter(association__municipality__in=ids).count()),
        (f"вакансий (открыто на {on:%d.%m.%Y})",
         f"{m.Vacancy.objects.filter(school__in=schools).count()} "
         f"({m.Vacancy.objects.filter(school__in=schools).open_on(on).count()})"),
        ("кадровый резерв", m.ReserveEntry.objects.filter(school__in=schools).count()),
        ("запросов на повышение квалификации",
         m.DevelopmentRequest.objects.filter(teacher__in=teachers.values("pk")).count()),
        ("отметок о целевой модели наставничества", m.MentorshipModelAdoption.objects.filter(school__in=schools)
         .count()),
    ]

