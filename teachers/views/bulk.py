"""Bulk entry where people work in bulk: a campaign's results for a whole school, many participants of an
event at once, many ИОМ activities marked done. Each POST is validated as a whole by a form or formset
(`teachers.forms`) whose choices are the rows the user may write (`scoping.writable`), and saved in one
transaction (all or nothing); every record keeps its history with the acting user."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from mskoko.params import MAX_YEAR, MIN_YEAR, BadParameter, query_id

from .. import scoping
from ..forms import ActivitiesDoneForm, ParticipantsForm, ResultFormSet, outside_choices
from ..naming import natural_order
from ..models import (
    DeficitArea, DiagnosticCampaign, DiagnosticResult, Event, Participation, RouteActivity, School, Teacher,
)


def _require_editor(user):
    if not scoping.can_edit(user):
        raise PermissionDenied("Недостаточно прав для ввода данных.")


def _school_choice(request):
    schools = natural_order(scoping.schools_for(request.user))
    wanted = query_id(request.GET, "school") or query_id(request.POST, "school")
    if wanted:
        try:
            return schools, schools.get(pk=wanted)
        except School.DoesNotExist:
            raise Http404("ОО не найдена.") from None
    return schools, (schools.first() if schools.count() == 1 else None)


def _errors(form):
    return "; ".join(e for errors in form.errors.values() for e in errors)


def _score_text(result):
    return "" if result is None or result.score is None else str(result.score).replace(".", ",")


def campaign_results(request, pk):
    """Results of one campaign for all active teachers of one school, on one page: a formset, a row per teacher."""
    user = request.user
    campaign = scoping.get_scoped_object_or_404(user, DiagnosticCampaign.objects.all(), pk=pk)
    if request.method == "POST":
        _require_editor(user)
    schools, school = _school_choice(request)
    areas = list(DeficitArea.objects.all())
    formset, teachers = None, {}
    if school is not None:
        people = Teacher.objects.active_on(timezone.localdate(), schools=school)
        if request.method == "POST":
            people = scoping.writable(user, people)
        people = list(people.order_by("last_name", "first_name", "middle_name"))
        teachers = {t.pk: t for t in people}
        existing = {r.teacher_id: r for r in DiagnosticResult.objects.filter(
            campaign=campaign, teacher__in=people).prefetch_related("deficit_areas")}
        initial = [{"teacher": t.pk, "took_part": t.pk in existing,
                    "score": _score_text(existing.get(t.pk)),
                    "areas": [a.pk for a in existing[t.pk].deficit_areas.all()] if t.pk in existing else []}
                   for t in people]
        # Only the rows the page showed are posted back; a teacher hired since it was opened is left alone.
        formset = ResultFormSet(request.POST if request.method == "POST" else None, initial=initial,
                                prefix="results", form_kwargs={"campaign": campaign, "teachers": people,
                                                               "areas": areas})
        if request.method == "POST":
            if not formset.management_form.is_valid():
                raise BadParameter("Форма результатов пришла неполной: обновите страницу и введите данные заново.")
            if formset.is_valid():
                rows = [{**form.cleaned_data, "result": existing.get(form.cleaned_data["teacher"])}
                        for form in formset.forms]
                try:
                    saved = _save_results(campaign, rows, teachers)
                except IntegrityError:
                    # A result stored meanwhile by another tab or user (one per person and campaign): the whole
                    # transaction is rolled back, and the page shows what is stored now.
                    messages.error(request, "Ничего не сохранено: результаты этой ОО только что изменили в другой "
                                            "вкладке или другой пользователь. Проверьте строки и сохраните снова.")
                else:
                    messages.success(request, f"Изменено результатов: {saved}." if saved
                                     else "Изменений нет: всё уже было сохранено.")
                return redirect(f"{request.path}?school={school.pk}")
            messages.error(request, "Ничего не сохранено: исправьте строки, отмеченные красным."
                           + "".join(f" {e}" for e in formset.non_form_errors()))
        for form in formset.forms:
            form.person = teachers.get(_int(form["teacher"].value()))
    return render(request, "teachers/bulk/campaign_results.html", {
        "campaign": campaign, "schools": schools, "school": school, "formset": formset, "areas": areas,
        "can_edit": scoping.can_edit(user),
    })


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@transaction.atomic
def _save_results(campaign, rows, teachers):
    """Write the rows that differ from what is stored; how many did (an unchanged row is not counted or touched)."""
    saved = 0
    for row in rows:
        result, areas = row["result"], set(row["areas"])
        if not row["took_part"]:
            if result is not None:
                result.delete()
                saved += 1
            continue
        value = row["score"]
        if result is not None and result.score == value and {a.pk for a in result.deficit_areas.all()} == areas:
            continue
        if result is None:
            result = DiagnosticResult(campaign=campaign, teacher=teachers[row["teacher"]])
        result.score = value
        result.has_deficits = bool(areas)
        result.save()
        result.deficit_areas.set(areas)
        saved += 1
    return saved


def event_participants(request, pk):
    """Add many participants to one event: pick people of a school, one role for all."""
    user = request.user
    event = scoping.get_scoped_object_or_404(user, Event.objects.select_related("kind", "level"), pk=pk)
    if request.method == "POST":
        _require_editor(user)
    schools, school = _school_choice(request)
    query = (request.GET.get("q") or "").strip()
    people = []
    if school is not None:
        people = Teacher.objects.active_on(timezone.localdate(), schools=school)
        if request.method == "POST":
            people = scoping.writable(user, people)
        for word in query.split():
            people = people.filter(Q(last_name__icontains=word) | Q(first_name__icontains=word))
        people = list(people.order_by("last_name", "first_name", "middle_name"))
    already = set(event.participations.values_list("teacher_id", flat=True))
    if request.method == "POST" and school is not None:
        form = ParticipantsForm(request.POST, people=people)
        if outside_choices(form, "teachers"):
            raise Http404("Педагог не найден.")
        if not form.is_valid():
            messages.error(request, _errors(form))
        else:
            chosen = form.cleaned_data["teachers"]
            added = 0
            with transaction.atomic():
                for teacher_id in chosen:
                    if teacher_id in already:
                        continue
                    # get_or_create: a second tab (or a double click) that added the person meanwhile is a
                    # person already listed, not an IntegrityError.
                    added += Participation.objects.get_or_create(
                        event=event, teacher_id=teacher_id, defaults={"role": form.cleaned_data["role"]})[1]
            skipped = len(chosen) - added
            messages.success(request, f"Добавлено участников: {added}"
                             + (f"; уже были в списке: {skipped}" if skipped else "") + ".")
            return redirect(f"{request.path}?school={school.pk}")
    return render(request, "teachers/bulk/event_participants.html", {
        "event": event, "schools": schools, "school": school, "people": people, "already": already,
        "roles": Participation.Role.choices, "q": query, "can_edit": scoping.can_edit(user),
    })


def activities_done(request):
    """Mark many planned ИОМ activities as done on one date."""
    user = request.user
    if request.method == "POST":
        _require_editor(user)
    schools, school = _school_choice(request)
    narrow = scoping.writable if scoping.can_edit(user) else scoping.scoped
    planned = narrow(user, RouteActivity.objects.filter(done_on__isnull=True))
    if school is not None:
        planned = planned.filter(route__teacher__in=Teacher.objects.at_school(school))
    month = request.GET.get("month", "").strip()
    if month:
        year_s, _, month_s = month.partition("-")
        if not (year_s.isascii() and year_s.isdigit() and month_s.isascii() and month_s.isdigit()
                and MIN_YEAR <= int(year_s) <= MAX_YEAR and 1 <= int(month_s) <= 12):
            raise BadParameter(f"Плановый месяц указывается как гггг-мм (например, 2025-03), а не «{month[:40]}».")
        planned = planned.filter(planned_date__year=int(year_s), planned_date__month=int(month_s))
    planned = list(planned.select_related("route__teacher", "deficit_area").order_by("planned_date", "pk")[:300])
    if request.method == "POST":
        form = ActivitiesDoneForm(request.POST, planned=planned)
        if outside_choices(form, "activities"):
            raise Http404("Мероприятие не найдено.")
        if not form.is_valid():
            messages.error(request, _errors(form))
        else:
            chosen, done_on = set(form.cleaned_data["activities"]), form.cleaned_data["done_on"]
            with transaction.atomic():
                for activity in planned:
                    if activity.pk in chosen:
                        activity.done_on = done_on
                        activity.save(update_fields=["done_on"])
            messages.success(request, f"Отмечено выполненными: {len(chosen)}.")
            return redirect(request.get_full_path())
    return render(request, "teachers/bulk/activities_done.html", {
        "schools": schools, "school": school, "planned": planned, "month": month,
        "can_edit": scoping.can_edit(user), "today": timezone.localdate(),
    })


urlpatterns = [
    path("diagnostics/<int:pk>/results/", campaign_results, name="campaign-results-bulk"),
    path("events/<int:pk>/participants/", event_participants, name="event-participants-bulk"),
    path("route-activities/mark-done/", activities_done, name="activities-done-bulk"),
]
