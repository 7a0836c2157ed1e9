"""The teachers' requests questionnaire: open a survey, invite the staff, take an answer, summarise the registry.

Named actions in the `monitoring.school_reports` shape: each one checks the user's right through
`teachers.scoping`, runs in a transaction and raises `PermissionDenied` / `ValidationError` (Russian) leaving
nothing half-saved. `request_summary` is the one aggregation of the requests registry: the summary page, the
school report and the district справка all read it.
"""
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import scoping
from .models import Appointment, DevelopmentRequest, RequestSurvey, Role, School, SurveyInvitation
from .naming import natural_key

MAX_REQUESTS_PER_ANSWER = 5
TOPIC_MAX_LENGTH = 400


# --- Opening a survey and inviting the staff ---------------------------------------------------------------------

def open_survey(user, *, title, year, opens_on, closes_on, school=None, municipality=None, today=None):
    """Open a survey for `school` (or, school=None, for every school of `municipality`) and invite its staff.

    A head opens one for their own school only; a methodologist for any school of their district or the whole
    district; a viewer never. Returns the survey."""
    today = today or timezone.localdate()
    role = scoping.role_of(user)
    if role in (None, Role.VIEWER):
        raise PermissionDenied("Открыть анкету может руководитель ОО или методист.")
    if school is not None:
        municipality = school.municipality
    if municipality is None:
        municipality = (user.school.municipality if role == Role.SCHOOL_HEAD else
                        scoping.default_municipality(user))
    if municipality is None:
        raise ValidationError("Не указан муниципалитет.")
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError("Укажите название анкеты.")
    if closes_on < opens_on:
        raise ValidationError("Дата закрытия анкеты раньше даты открытия.")
    if closes_on < today:
        raise ValidationError(f"Анкета закрывается в прошлом ({closes_on:%d.%m.%Y}): укажите дату не раньше "
                              f"сегодняшней.")
    if not 2000 <= year <= today.year + 1:
        raise ValidationError(f"Год анкеты — от 2000 до {today.year + 1}.")
    survey = RequestSurvey(municipality=municipality, school=school, title=title[:300], year=year,
                           opens_on=opens_on, closes_on=closes_on, created_by=user)
    problem = scoping.write_problem(user, survey)
    if problem:
        raise PermissionDenied(problem)
    with transaction.atomic():
        survey.save()
        invite_staff(user, survey, today=today)
    return survey


def survey_schools(survey):
    if survey.school_id:
        return School.objects.filter(pk=survey.school_id)
    return School.objects.filter(municipality_id=survey.municipality_id, is_active=True)


def invite_staff(user, survey, today=None):
    """Give a link to everyone working at the survey's schools (on the opening day, or today once it is open) who
    has none yet. Idempotent: the «добавить новых сотрудников» action calls it again. A person working at two of the
    schools gets one link, handed out by their main school. Returns how many links were added."""
    if not can_manage(user, survey):
        raise PermissionDenied("Список ссылок этой анкеты ведёт другая ОО или методист.")
    today = today or timezone.localdate()
    return add_invitations(survey, max(survey.opens_on, min(today, survey.closes_on)))


def add_invitations(survey, on):
    """Links for the people working at the survey's schools on `on` who have none (no rights checked: callers do)."""
    invited = set(survey.invitations.values_list("teacher_id", flat=True))
    # Main employment before external part-time ("main" > "external"), then the oldest appointment.
    appointments = (Appointment.objects.active_on(on).filter(school__in=survey_schools(survey))
                    .order_by("teacher_id", "-employment", "hired", "pk").values_list("teacher_id", "school_id"))
    new = {}
    for teacher_id, school_id in appointments:
        if teacher_id not in invited and teacher_id not in new:
            new[teacher_id] = school_id
    SurveyInvitation.objects.bulk_create(
        [SurveyInvitation(survey=survey, teacher_id=t, school_id=s) for t, s in new.items()])
    return len(new)


def can_manage(user, survey):
    """May `user` change the survey and see its links (the head of its school; the district's methodologist)?"""
    return scoping.writable(user, RequestSurvey.objects.filter(pk=survey.pk)).exists()


def invitations_for(user, survey):
    """The links `user` may hand out: a head those of their school's people (also in a district survey);
    a methodologist all. Viewers none — a link is as good as the teacher's answer."""
    if scoping.role_of(user) in (None, Role.VIEWER):
        return SurveyInvitation.objects.none()
    return scoping.scoped(user, survey.invitations.select_related("teacher", "school"))


# --- Answering -----------------------------------------------------------------------------------------------

def reissuable_ids(user, survey):
    """Of the survey's links, those `user` may replace: links of people the user holds (a head's own staff, also in
    a district survey; a methodologist's district), while the survey is not closed."""
    if survey.state() == "closed":
        return set()
    return set(scoping.writable(user, survey.invitations.all()).values_list("pk", flat=True))


def reissue(user, invitation):
    """A new link for a teacher whose link was lost or went to the wrong person: the old one stops opening (404);
    the answer already given stays with the teacher. Returns the invitation with its new token."""
    from .models.surveys import new_token

    if invitation.pk not in reissuable_ids(user, invitation.survey):
        raise PermissionDenied("Новую ссылку выдаёт ОО, где работает педагог, или методист, пока анкета открыта.")
    invitation.token = new_token()
    invitation.save(update_fields=["token"])
    return invitation


def normalise_topic(text):
    return " ".join((text or "").split()).rstrip(" .;")


def save_answer(invitation, rows, today=None):
    """Replace the teacher's answer: the requests still «получен» go, `rows` become new ones.

    `rows`: [{"topic", "format", "deficit_area" (DeficitArea or None), "comment"}], already validated by the form.
    Requests the methodologist has already taken up (planned, satisfied, declined) stay as they are.
    Refused (ValidationError) once the survey is closed, so a page kept open past the date saves nothing."""
    today = today or timezone.localdate()
    if not rows:
        raise ValidationError("Укажите хотя бы один запрос.")
    if len(rows) > MAX_REQUESTS_PER_ANSWER:
        raise ValidationError(f"Не больше {MAX_REQUESTS_PER_ANSWER} запросов в одном ответе.")
    with transaction.atomic():
        invitation = (SurveyInvitation.objects.select_for_update().select_related("survey")
                      .get(pk=invitation.pk))
        if not invitation.survey.is_open(today):
            raise ValidationError("Анкета закрыта: ответы больше не принимаются.")
        invitation.requests.filter(status=DevelopmentRequest.Status.NEW).delete()
        DevelopmentRequest.objects.bulk_create([DevelopmentRequest(
            teacher_id=invitation.teacher_id, year=invitation.survey.year,
            topic=normalise_topic(row["topic"])[:TOPIC_MAX_LENGTH], format=row["format"],
            deficit_area=row.get("deficit_area"), comment=(row.get("comment") or "").strip(),
            status=DevelopmentRequest.Status.NEW, submitted_on=today,
            source=DevelopmentRequest.Source.SURVEY, invitation=invitation) for row in rows])
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["answered_at"])
    return invitation


def typical_topics():
    """Suggestions for the topic field: a fixed list. Never what other teachers typed: the page is public, and free
    text may say more than a topic."""
    return TYPICAL_TOPICS


TYPICAL_TOPICS = [
    "Формирование и оценка функциональной грамотности",
    "Современные образовательные технологии и методика урока",
    "Углубление предметных знаний и подготовка обучающихся к ГИА",
    "Работа с обучающимися с ОВЗ и детьми с трудностями в обучении",
    "Цифровые инструменты и ресурсы ФГИС «Моя школа»",
    "Воспитательная работа и классное руководство",
    "Эффективная коммуникация с родителями и обучающимися",
    "Нормативно-правовое обеспечение профессиональной деятельности",
]


# --- The summary -------------------------------------------------------------------------------------------------

@dataclass
class Tally:
    """Counts of one school, cluster or the district for the year."""

    invited: int = 0
    answered: int = 0
    requests: int = 0
    teachers: set = field(default_factory=set)
    topics: Counter = field(default_factory=Counter)
    areas: Counter = field(default_factory=Counter)
    formats: Counter = field(default_factory=Counter)

    def add(self, other):
        self.invited += other.invited
        self.answered += other.answered
        self.requests += other.requests
        self.teachers |= other.teachers
        self.topics.update(other.topics)
        self.areas.update(other.areas)
        self.formats.update(other.formats)

    @property
    def teacher_count(self):
        return len(self.teachers)

    def top_topics(self, n=5):
        return ordered(self.topics)[:n]

    def as_json(self, n=5):
        """The numbers a school report freezes."""
        return {"invited": self.invited, "answered": self.answered, "requests": self.requests,
                "teachers": self.teacher_count, "top_topics": [[t, c] for t, c in self.top_topics(n)]}


def ordered(counter):
    return sorted(counter.items(), key=lambda kv: (-kv[1], natural_key(kv[0])))


@dataclass
class RequestSummary:
    year: int
    schools: dict  # school id -> Tally
    clusters: dict  # cluster id -> Tally
    district: Tally
    school_rows: list  # School objects, cluster order then natural name order
    cluster_names: dict  # cluster id -> name

    def rows(self, attr, *, school_id=None):
        """[(label, school count or None, cluster counts {cluster id: n}, district count)] for `attr` (topics,
        areas, formats), most asked first in the district."""
        district = getattr(self.district, attr)
        school = getattr(self.schools[school_id], attr) if school_id in self.schools else None
        out = []
        for key, n in ordered(district):
            out.append({"label": key,
                        "school": (school or {}).get(key, 0) if school_id else None,
                        "clusters": [getattr(self.clusters[c], attr).get(key, 0) for c in self.clusters],
                        "district": n})
        return out


def _topic_key(text):
    return normalise_topic(text).casefold().replace("ё", "е")


def request_summary(municipality, year, *, until=None):
    """The requests registry of `municipality` for `year` (to `until`, a date, if given) per school, cluster and
    district: invitations and answers of the year's surveys, requests by topic, deficit area and format.

    A request counts at the school that handed out the survey link; one entered by hand at the school where the
    teacher worked on its date (the main position first), so a person at two schools is counted once in the
    cluster and the district. Three queries whatever the number of schools."""
    schools = list(School.objects.filter(municipality=municipality, is_active=True).select_related("cluster"))
    schools.sort(key=lambda s: (s.cluster.order if s.cluster_id else 0, natural_key(s.short_name)))
    school_ids = {s.pk for s in schools}
    held = Appointment.objects.filter(teacher=OuterRef("teacher_id"), school__in=school_ids)
    at_date = held.filter(hired__lte=OuterRef("submitted_on")).filter(
        Q(dismissed__isnull=True) | Q(dismissed__gte=OuterRef("submitted_on"))).order_by("-employment", "hired", "pk")
    requests = (DevelopmentRequest.objects.filter(year=year)
                .annotate(at_school=Coalesce("invitation__school_id", Subquery(at_date.values("school_id")[:1]),
                                             Subquery(held.order_by("-hired", "pk").values("school_id")[:1]),
                                             output_field=IntegerField()))
                .filter(at_school__in=school_ids))
    if until is not None:
        requests = requests.filter(submitted_on__lte=until)
    tallies = {s.pk: Tally() for s in schools}
    topic_names = {}
    formats = dict(DevelopmentRequest.Format.choices)
    for school_id, teacher_id, topic, area, fmt in requests.order_by("pk").values_list(
            "at_school", "teacher_id", "topic", "deficit_area__name", "format"):
        t = tallies[school_id]
        # Topics that differ only in case, «ё» or spacing are one topic, named as first written.
        label = topic_names.setdefault(_topic_key(topic), normalise_topic(topic))
        t.requests += 1
        t.teachers.add(teacher_id)
        t.topics[label] += 1
        t.areas[area or "не указана"] += 1
        t.formats[formats.get(fmt, fmt)] += 1
    invitations = SurveyInvitation.objects.filter(survey__year=year, survey__municipality=municipality,
                                                  school__in=school_ids)
    answered = Q(answered_at__isnull=False)
    if until is not None:
        invitations = invitations.filter(survey__opens_on__lte=until)
        answered &= Q(answered_at__date__lte=until)
    for row in invitations.values("school_id").annotate(invited=Count("pk"), answered=Count("pk", filter=answered)):
        tallies[row["school_id"]].invited = row["invited"]
        tallies[row["school_id"]].answered = row["answered"]
    clusters, names, district = {}, {}, Tally()
    for s in schools:
        clusters.setdefault(s.cluster_id, Tally()).add(tallies[s.pk])
        names[s.cluster_id] = s.cluster.name if s.cluster_id else "без кластера"
        district.add(tallies[s.pk])
    return RequestSummary(year, tallies, clusters, district, schools, names)


def school_requests_json(school, year, until=None):
    """The school's figures for its quarterly report, with the cluster's and district's requests for context."""
    summary = request_summary(school.municipality, year, until=until)
    own = summary.schools.get(school.pk, Tally())
    return {"year": year, **own.as_json(),
            "cluster_requests": summary.clusters.get(school.cluster_id, Tally()).requests,
            "district_requests": summary.district.requests}


def default_dates(today=None):
    """The form's suggestion: open from today for three weeks."""
    today = today or timezone.localdate()
    return today, today + timedelta(days=21)
