"""Teachers' requests questionnaire (seed 002, «выявление запроса»): a survey a school or the district opens for a
period, and one personal answer link per invited teacher.

The link's token is the only thing the teacher needs: the answer page shows no personal data and asks for none,
so a teacher answers without an account and the answer is tied to a person the school already holds. Answers
become `DevelopmentRequest` rows (the requests registry) with `source = survey` and the invitation they came from.
"""
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from .schools import Municipality, School
from .staff import Teacher


def new_token():
    """32 random bytes, URL-safe: unguessable, and the throttling makes trying tokens pointless."""
    return secrets.token_urlsafe(32)


class RequestSurvey(models.Model):
    """An anketa «запрос педагогов на направления повышения квалификации» for one school or the whole district."""

    municipality = models.ForeignKey(Municipality, models.PROTECT, related_name="request_surveys",
                                     verbose_name="муниципалитет")
    school = models.ForeignKey(School, models.PROTECT, null=True, blank=True, related_name="request_surveys",
                               verbose_name="ОО", help_text="пусто — анкета для всех ОО муниципалитета")
    title = models.CharField("название", max_length=300)
    year = models.PositiveSmallIntegerField("год")
    opens_on = models.DateField("открыта с")
    closes_on = models.DateField("открыта по")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+",
                                   verbose_name="открыл")
    created_at = models.DateTimeField("создана", auto_now_add=True)

    # District-level record: heads see their school's own and the district's, and change only their own.
    scope_municipality_field = "municipality"

    class Meta:
        verbose_name = "анкета «запросы педагогов»"
        verbose_name_plural = "анкеты «запросы педагогов»"
        ordering = ["-opens_on", "-pk"]

    def __str__(self):
        return self.title

    def state(self, today=None):
        """"soon", "open" or "closed" by the dates (the last day is included)."""
        today = today or timezone.localdate()
        if today < self.opens_on:
            return "soon"
        if today > self.closes_on:
            return "closed"
        return "open"

    def is_open(self, today=None):
        return self.state(today) == "open"

    @property
    def scope_label(self):
        return self.school.short_name if self.school_id else "все ОО муниципалитета"


class SurveyInvitation(models.Model):
    """One teacher's personal link to a survey. Unique per (survey, teacher): a person who works at two schools
    gets one link and answers once; `school` is the school that hands the link out (where the person works)."""

    survey = models.ForeignKey(RequestSurvey, models.CASCADE, related_name="invitations", verbose_name="анкета")
    teacher = models.ForeignKey(Teacher, models.CASCADE, related_name="survey_invitations", verbose_name="педагог")
    school = models.ForeignKey(School, models.PROTECT, related_name="survey_invitations", verbose_name="ОО")
    token = models.CharField("ключ ссылки", max_length=64, unique=True, default=new_token, editable=False)
    answered_at = models.DateTimeField("ответ получен", null=True, blank=True)
    created_at = models.DateTimeField("создана", auto_now_add=True)

    scope_school_field = "school"
    scope_person_field = "teacher"

    class Meta:
        verbose_name = "приглашение к анкете"
        verbose_name_plural = "приглашения к анкете"
        ordering = ["school__short_name", "teacher__last_name", "teacher__first_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "teacher"], name="survey_invitation_once")]

    def __str__(self):
        return f"{self.survey}: {self.teacher.short_name}"
