"""Pages of the management cycle: its records (declared like the staff records), the section-2.2 table, and the
addressed school's answer to a recommendation."""
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from teachers.models import Role
from teachers.naming import natural_key
from teachers.views.records import Spec, build
from teachers.scoping import can_edit, for_roles, get_scoped_object_or_404, is_school_head, scoped

from .. import cycle
from .. import recommendations as answers
from ..models import (
    Analysis, Decision, EffectivenessReview, Goal, Measure, Method, Recommendation, RecommendationResponse,
)
from .calendar import municipality_and_year


class ResponseForm(forms.ModelForm):
    """The school's answer: the mark comes from the button pressed («Принято к исполнению» / «Выполнено»)."""

    class Meta:
        model = RecommendationResponse
        fields = ["status", "note", "on"]
        widgets = {"status": forms.HiddenInput(),
                   "note": forms.TextInput(attrs={"class": "form-control form-control-sm",
                                                  "placeholder": "коротко: что сделано или что планируется"}),
                   "on": forms.DateInput(format="%d.%m.%Y", attrs={"class": "form-control form-control-sm",
                                                                   "placeholder": "дд.мм.гггг"})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["on"].required = False


def recommendation_answers(recommendation, request):
    """The recommendation page's block of answers: the head's own answer and form, or every addressed school's."""
    user = request.user
    if is_school_head(user):
        own = RecommendationResponse.objects.filter(recommendation=recommendation, school_id=user.school_id).first()
        return {"own_response": own, "response_form": ResponseForm(instance=own) if own else ResponseForm(),
                "may_answer": recommendation.status != Recommendation.Status.CANCELLED,
                "response_history": own.history.select_related("history_user")[:10] if own else []}
    responses = {r.school_id: r for r in scoped(user, RecommendationResponse.objects.filter(
        recommendation=recommendation)).select_related("answered_by")}
    schools = sorted(scoped(user, recommendation.addressed_schools()), key=lambda s: natural_key(s.short_name))
    return {"school_answers": [(s, responses.get(s.pk)) for s in schools], "answered": len(responses)}


@require_POST
@for_roles(Role.SCHOOL_HEAD, message="Отметить исполнение рекомендации может руководитель ОО, которой она адресована.")
def recommendation_respond(request, pk):
    recommendation = get_scoped_object_or_404(request.user, Recommendation.objects.all(), pk=pk)
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            response = answers.respond(request.user, recommendation, form.cleaned_data["status"],
                                       form.cleaned_data["note"], form.cleaned_data["on"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Рекомендация отмечена: {response.get_status_display()}.")
    else:
        messages.error(request, "Не удалось сохранить отметку: " + "; ".join(
            e for errors in form.errors.values() for e in errors))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("recommendation-detail", args=[recommendation.pk])
    return redirect(target)

@require_POST
@for_roles(Role.ADMIN, Role.METHODOLOGIST, message="Пересчитать анализ эффективности может методист района.")
def review_recalculate(request, pk):
    """«Пересчитать»: the review's targets against the engine's values now (`cycle.review_effectiveness`)."""
    review = get_scoped_object_or_404(request.user, EffectivenessReview.objects.all(), pk=pk)
    if not can_edit(request.user, review):
        messages.error(request, review.read_only_reason() or "Недостаточно прав для изменения данных.")
    else:
        cycle.review_effectiveness(review)
        messages.success(request, "Целевые и фактические значения пересчитаны.")
    return redirect("review-detail", pk=review.pk)


COMMON = ("municipality", "year", "direction")
TAIL = ("document", "timing", "responsible")

SPECS = [
    Spec(Goal, "goal", "cycle/goals", ("text", "direction", "year", "regional_agreement"),
         ("year", "direction", "regional_agreement"),
         COMMON + ("text", "justification", "regional_agreement", "activities") + TAIL,
         select_related=("direction",), search=("text", "justification"), title_plural="цели"),
    Spec(Method, "method", "cycle/methods", ("collection", "direction", "year"), ("year", "direction"),
         COMMON + ("collection", "processing", "information_systems") + TAIL,
         select_related=("direction",), search=("collection", "processing"), title_plural="методы сбора и обработки"),
    Spec(Analysis, "analysis", "cycle/analysis", ("text", "direction", "year", "period", "written_on"),
         ("year", "direction"), COMMON + ("period", "written_on", "text", "cluster_notes", "factors") + TAIL,
         select_related=("direction", "period__monitoring_year"), search=("text", "factors"),
         title_plural="анализ результатов мониторинга", detail_template="monitoring/analysis_detail.html",
         detail_extra=lambda analysis, request: cycle.analysis_values(analysis)),
    Spec(Recommendation, "recommendation", "cycle/recommendations", ("text", "direction", "year", "due", "status"),
         ("year", "direction", "status"),
         COMMON + ("analysis", "text", "schools", "cluster", "teachers", "due", "status") + TAIL,
         select_related=("direction",), search=("text",), title_plural="адресные рекомендации",
         detail_template="monitoring/recommendation_detail.html", detail_extra=recommendation_answers),
    Spec(Measure, "measure", "cycle/measures", ("title", "direction", "year", "start", "end", "status"),
         ("year", "direction", "status"),
         COMMON + ("recommendation", "title", "start", "end", "participants", "status") + TAIL,
         select_related=("direction",), search=("title", "participants"), title_plural="меры и мероприятия"),
    Spec(Decision, "decision", "cycle/decisions", ("text", "direction", "year", "decided_on"), ("year", "direction"),
         COMMON + ("analysis", "decided_on", "text") + TAIL,
         select_related=("direction",), search=("text",), title_plural="управленческие решения"),
    Spec(EffectivenessReview, "review", "cycle/effectiveness", ("conclusions", "direction", "year", "reviewed_on"),
         ("year", "direction"), COMMON + ("reviewed_on", "conclusions", "problems") + TAIL,
         select_related=("direction",), search=("conclusions", "problems"), title_plural="анализ эффективности мер",
         detail_template="monitoring/review_detail.html", detail_extra=lambda review, request: {
             "may_recalculate": can_edit(request.user, review)},
         before_save=lambda review: cycle.review_effectiveness(review, save=False)),
]


URL_NAMES = {"goals": "goal", "methods": "method", "analysis": "analysis", "recommendations": "recommendation",
             "measures": "measure", "decisions": "decision", "effectiveness": "review"}


def _short(text, words=30):
    parts = (text or "").split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def describe(key, item):
    """(text, note, url) of one item in a cell of the 2.2 table."""
    if key == "indicators":
        return f"{item.code}. {item.name}", item.get_unit_display() if hasattr(item, "get_unit_display") else "", None
    if key == "monitoring":
        return item.subject or "мониторинг", f"{item.start:%d.%m}–{item.end:%d.%m.%Y}", None
    url = reverse(f"{URL_NAMES[key]}-detail", args=[item.pk])
    if key == "goals":
        return _short(item.text), f"Соответствие региональной цели: {item.get_regional_agreement_display()}", url
    if key == "methods":
        return _short(item.collection), _short(item.processing, 15), url
    if key == "analysis":
        return _short(item.text), f"{item.written_on:%d.%m.%Y}", url
    if key == "recommendations":
        return _short(item.text), f"Кому: {_short(item.addressees(), 12) or '—'}; срок {item.due:%d.%m.%Y}" \
            if item.due else f"Кому: {_short(item.addressees(), 12) or '—'}", url
    if key == "measures":
        end = f"–{item.end:%d.%m.%Y}" if item.end else ""
        return _short(item.title), f"{item.start:%d.%m.%Y}{end}, {item.get_status_display()}", url
    if key == "decisions":
        return _short(item.text), f"{item.decided_on:%d.%m.%Y}", url
    reached = sum(1 for v in item.values if v.get("reached"))
    return _short(item.conclusions), f"Цели достигнуты: {reached} из {len(item.values)}", url


def cycle_table(request):
    municipality, year, allowed = municipality_and_year(request, timezone.localdate().year)
    rows = cycle.table(municipality, year)
    for row in rows:
        row.display = [(key, [describe(key, item) for item in row.cells.get(key, [])]) for key, _ in cycle.STEPS]
    years = sorted({year, timezone.localdate().year} | set(range(year - 3, year + 2)), reverse=True)
    return render(request, "monitoring/cycle_table.html", {
        "municipality": municipality, "municipalities": allowed, "year": year, "years": years, "rows": rows,
        "steps": cycle.STEPS, "complete": sum(r.complete for r in rows),
        "add_links": [(reverse(f"{spec.name}-create"), spec.model._meta.verbose_name) for spec in SPECS]
        if can_edit(request.user, model=Goal) else [],
    })


urlpatterns = [
    path("cycle/", cycle_table, name="cycle-table"),
    path("cycle/recommendations/<int:pk>/respond/", recommendation_respond, name="recommendation-respond"),
    path("cycle/effectiveness/<int:pk>/recalculate/", review_recalculate, name="review-recalculate"),
    *[pattern for spec in SPECS for pattern in build(spec)],
]
