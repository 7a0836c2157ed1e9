"""Addressed recommendations from the school's side: what awaits an answer, and the named action that answers."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from teachers.scoping import is_school_head

from .models import Recommendation, RecommendationResponse

CLOSED = (Recommendation.Status.DONE, Recommendation.Status.CANCELLED)


def open_for_school(school):
    """Recommendations addressed to the school that the district has not closed, with the school's answer
    (`school_response`, None if not answered yet), soonest due first. Two queries."""
    recommendations = list(Recommendation.objects.addressed_to_school(school).exclude(status__in=CLOSED)
                           .select_related("direction").order_by("due", "pk"))
    answers = {r.recommendation_id: r for r in RecommendationResponse.objects.filter(
        school=school, recommendation__in=[r.pk for r in recommendations])}
    for rec in recommendations:
        rec.school_response = answers.get(rec.pk)
    return recommendations


def respond(user, recommendation, status, note="", on=None):
    """The head of an addressed school marks the recommendation «принято к исполнению» or «выполнено».

    Raises PermissionDenied for anyone else (methodologists write the recommendation, not the school's answer)
    and ValidationError (Russian) for a recommendation the district has closed; changes nothing then."""
    if not is_school_head(user):
        raise PermissionDenied("Отметить исполнение может руководитель ОО, которой адресована рекомендация.")
    if status not in RecommendationResponse.Status.values:
        raise ValidationError("Неизвестная отметка.")
    school = user.school
    with transaction.atomic():
        rec = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if not Recommendation.objects.addressed_to_school(school).filter(pk=rec.pk).exists():
            raise PermissionDenied("Эта рекомендация адресована не вашей ОО.")
        closed = rec.read_only_reason()
        if closed:
            raise ValidationError(closed)
        if rec.status == Recommendation.Status.CANCELLED:
            raise ValidationError("Рекомендация отменена методической службой: отмечать её исполнение не нужно.")
        response = (RecommendationResponse.objects.select_for_update().filter(recommendation=rec, school=school)
                    .first() or RecommendationResponse(recommendation=rec, school=school))
        response.status, response.note = status, (note or "").strip()
        response.on = on or timezone.localdate()
        response.answered_by = user
        response._history_user = user  # simple_history: who, also outside a request
        response.save()
    return response
