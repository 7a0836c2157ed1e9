"""The demo district's requests questionnaire: one district-wide survey open around the demo date, about one in seven
of the staff has answered so far (fixed seed, dates from DEMO_TODAY: the same data on every run)."""
import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from .. import models as m
from ..surveys import add_invitations
from . import data
from .builder import DEMO_TODAY

# Mostly the people who have asked for something this year answer (the registry's usual rate stays realistic).
ANSWER_RATE_ASKED, ANSWER_RATE_OTHERS = 0.6, 0.03


def demo_survey(municipality, seed=2026):
    methodologist = m.User.objects.filter(role=m.Role.METHODOLOGIST, municipality=municipality).first()
    survey = m.RequestSurvey.objects.create(
        municipality=municipality, title=f"Анкета «Запрос на повышение квалификации и профессиональное развитие» "
                                         f"{DEMO_TODAY.year}", year=DEMO_TODAY.year,
        opens_on=DEMO_TODAY - timedelta(days=14), closes_on=DEMO_TODAY + timedelta(days=40),
        created_by=methodologist)
    add_invitations(survey, survey.opens_on)
    rng = random.Random(seed)
    areas = {a.code: a for a in m.DeficitArea.objects.all()}
    F = m.DevelopmentRequest.Format
    rows, answered = [], []
    asked = set(m.DevelopmentRequest.objects.filter(year=survey.year).values_list("teacher_id", flat=True))
    for inv in survey.invitations.order_by("pk"):
        if rng.random() >= (ANSWER_RATE_ASKED if inv.teacher_id in asked else ANSWER_RATE_OTHERS):
            continue
        day = survey.opens_on + timedelta(days=rng.randint(0, (DEMO_TODAY - survey.opens_on).days))
        inv.answered_at = timezone.make_aware(datetime.combine(day, time(rng.randint(8, 20), rng.randint(0, 59))))
        answered.append(inv)
        for code in rng.sample(sorted(data.REQUEST_TOPICS), rng.choice([1, 1, 2])):
            rows.append(m.DevelopmentRequest(
                teacher_id=inv.teacher_id, year=survey.year, topic=data.REQUEST_TOPICS[code],
                deficit_area=areas.get(code), format=rng.choice([F.IN_PERSON, F.IN_PERSON, F.DISTANCE, F.MIXED]),
                status=m.DevelopmentRequest.Status.NEW, submitted_on=day, source=m.DevelopmentRequest.Source.SURVEY,
                invitation=inv))
    m.SurveyInvitation.objects.bulk_update(answered, ["answered_at"])
    m.DevelopmentRequest.objects.bulk_create(rows)
    return survey
