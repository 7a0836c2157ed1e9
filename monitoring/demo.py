"""Demo school reports: the demo district's heads have reported for every finished quarter, as in practice —
most on time and accepted, a few late, returned for corrections or not yet started in the latest quarter."""
import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from teachers.models import Role, School, User

from . import school_reports as service
from .models import ReportingPeriod, SchoolReport, Transition

NARRATIVE = {
    "problems": [
        "Не хватает учителей математики и английского языка; двое молодых специалистов без педагогического стажа.",
        "Низкая доля педагогов, прошедших диагностику: часть коллектива — внешние совместители.",
        "Высокая нагрузка педагогов не оставляет времени на курсы повышения квалификации.",
        "Два педагога пенсионного возраста планируют уволиться в конце учебного года.",
    ],
    "measures": [
        "Закреплены наставники за молодыми специалистами, составлены ИОМ по итогам диагностики.",
        "Организовано участие педагогов в заседаниях РМО и тьюторского клуба.",
        "Направлены заявки на курсы повышения квалификации ЦНППМ.",
        "Проведён школьный этап конкурса «Мой лучший урок».",
    ],
    "requests": [
        "Просим организовать выездной семинар по работе с ИОМ.",
        "Нужна помощь муниципальных наставников для учителя физики.",
        "",
        "Просим включить школу в сетевой проект по функциональной грамотности.",
    ],
}
RETURN_COMMENTS = [
    "Не указаны меры по вакансии учителя математики; уточните сведения о наставниках молодых специалистов.",
    "Проверьте состав педагогов: в отчёте указан уволенный работник. Дополните раздел «Проблемы».",
]


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def demo_reports(municipality, today=None, seed=2026):
    """Reports for every quarter that ended before `today`; the latest one still being collected."""
    today = today or timezone.localdate()
    rnd = random.Random(seed)
    methodologist = User.objects.filter(role=Role.METHODOLOGIST, municipality=municipality).first()
    heads = {u.school_id: u for u in User.objects.filter(role=Role.SCHOOL_HEAD, school__municipality=municipality)}
    schools = list(School.objects.filter(municipality=municipality, is_active=True).order_by("pk"))
    periods = list(ReportingPeriod.objects.filter(monitoring_year__municipality=municipality, end__lt=today,
                                                  monitoring_year__year__gte=2025)
                   .select_related("monitoring_year").order_by("start"))
    for index, period in enumerate(periods):
        latest = index == len(periods) - 1
        result = service.municipality_result(period)
        for school in schools:
            head = heads.get(school.pk)
            roll = rnd.random()
            if latest and period.deadline >= today and roll < 0.45:
                continue  # not started yet: the deadline is still ahead
            if latest and roll < 0.08:
                continue  # late and not started
            k = rnd.randrange(len(NARRATIVE["problems"]))
            report = SchoolReport.objects.create(
                school=school, period=period, problems=NARRATIVE["problems"][k], measures=NARRATIVE["measures"][k],
                requests=NARRATIVE["requests"][k])
            late = rnd.random() < 0.12
            submitted_on = period.deadline + timedelta(days=rnd.randint(1, 6)) if late else \
                period.deadline - timedelta(days=rnd.randint(0, 8))
            if submitted_on >= today:
                submitted_on = today - timedelta(days=1)
            steps = [("create", "draft", "draft", head, period.end + timedelta(days=2), "")]
            status = "submitted"
            steps.append(("submit", "draft", "submitted", head, submitted_on, ""))
            if latest and roll < 0.2:
                comment = RETURN_COMMENTS[k % len(RETURN_COMMENTS)]
                steps.append(("return", "submitted", "returned", methodologist, submitted_on + timedelta(days=2),
                              comment))
                status = "returned"
                report.return_comment = comment
            elif not latest or roll > 0.5:
                steps.append(("accept", "submitted", "accepted", methodologist, submitted_on + timedelta(days=3), ""))
                status = "accepted"
            report.content = service.build_content(school, period, result)
            report.content_built_at = _at(submitted_on, 15)
            report.submitted_at, report.submitted_by = _at(submitted_on, 15), head
            if status in ("accepted", "returned"):
                report.decided_at, report.decided_by = _at(steps[-1][4], 11), methodologist
            report.status = status
            report.save()
            for action, before, after, user, day, comment in steps:
                t = Transition.objects.create(report=report, action=action, from_status=before, to_status=after,
                                              user=user, comment=comment)
                Transition.objects.filter(pk=t.pk).update(at=_at(min(day, today), 10 if action == "create" else 15))


DEMO_RECOMMENDATIONS = [
    # (text, addressed to the gymnasium cluster?, due, status, direction)
    ("Закрепить за молодыми специалистами, у которых есть только школьный наставник, муниципальных наставников "
     "из числа руководителей РМО (показатель Y1 ниже целевого значения).", True, (12, 25), "new", "young"),
    ("Включить педагогов с выявленными по итогам диагностики дефицитами в ИОМ и направить их на курсы ПК ЦНППМ "
     "до конца учебного года.", False, (5, 31), "in_work", "mastery"),
]


def demo_recommendations(municipality, today=None):
    """Open recommendations of the current year from the autumn analysis: one to the gymnasiums, one to every
    school, which some schools have already taken up — so the heads' home pages have something to answer."""
    from datetime import date

    from indicators.models import Direction
    from teachers.models import Cluster

    from .models import Recommendation, RecommendationResponse

    today = today or timezone.localdate()
    schools = list(School.objects.filter(municipality=municipality, is_active=True).order_by("pk"))
    gymnasium = Cluster.objects.filter(code="gymnasium").first()
    heads = {u.school_id: u for u in User.objects.filter(role=Role.SCHOOL_HEAD, school__municipality=municipality)}
    directions = {d.code: d for d in Direction.objects.all()}
    for text, to_cluster, (month, day), status, direction in DEMO_RECOMMENDATIONS:
        due = date(today.year + (1 if month < today.month else 0), month, day)
        rec = Recommendation.objects.create(municipality=municipality, year=today.year, text=text, due=due,
                                            status=status, cluster=gymnasium if to_cluster else None,
                                            direction=directions.get(direction),
                                            responsible="МБУ ЦРО, руководители ОО")
        if to_cluster:
            continue
        rec.schools.set(schools)
        for school in schools[1::3]:
            RecommendationResponse.objects.create(
                recommendation=rec, school=school, status=RecommendationResponse.Status.ACCEPTED,
                note="Составлен график направления педагогов на курсы.", on=today - timedelta(days=5),
                answered_by=heads.get(school.pk))
