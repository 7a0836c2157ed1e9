"""Bulk entry where people work in bulk: a campaign's results for a whole school, many participants of an
event at once, many ИОМ activities marked done. Each POST is validated as a whole and saved in one
transaction (all or nothing); every record keeps its history with the acting user."""
from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from .. import scoping
from ..naming import natural_order
from ..models import (
    DeficitArea, DiagnosticCampaign, DiagnosticResult, Event, Participation, RouteActivity, School, Teacher,
)


def _require_editor(user):
    if not scoping.can_edit(user):
        raise PermissionDenied("Недостаточно прав для ввода данных.")


def _parse_date(text):
    try:
        day, month, year = (int(x) for x in text.strip().split("."))
        return date(year, month, day)
    except (ValueError, AttributeError):
        return None


def _school_choice(request):
    schools = natural_order(scoping.schools_for(request.user))
    wanted = request.GET.get("school") or request.POST.get("school")
    if wanted:
        try:
            return schools, schools.get(pk=int(wanted))
        except (ValueError, School.DoesNotExist):
            raise Http404("ОО не найдена.") from None
    return schools, (schools.first() if schools.count() == 1 else None)


def campaign_results(request, pk):
    """Results of one campaign for all active teachers of one school, on one page."""
    user = request.user
    campaign = scoping.get_scoped_object_or_404(user, DiagnosticCampaign.objects.all(), pk=pk)
    if request.method == "POST":
        _require_editor(user)
    schools, school = _school_choice(request)
    areas = list(DeficitArea.objects.all())
    rows, errors = [], {}
    if school is not None:
        teachers = Teacher.objects.active_on(timezone.localdate(), schools=school)
        if request.method == "POST":
            teachers = scoping.writable(user, teachers)
        teachers = list(teachers.order_by("last_name", "first_name", "middle_name"))
        existing = {r.teacher_id: r for r in DiagnosticResult.objects.filter(
            campaign=campaign, teacher__in=teachers).prefetch_related("deficit_areas")}
        for t in teachers:
            r = existing.get(t.pk)
            rows.append({"teacher": t, "result": r, "took_part": r is not None,
                         "score": "" if r is None or r.score is None else str(r.score).replace(".", ","),
                         "areas": {a.pk for a in r.deficit_areas.all()} if r else set()})
        if request.method == "POST":
            # Only the rows the form showed are touched; a teacher hired since the page was opened is left alone.
            posted = {int(x) for x in request.POST.getlist("row") if x.isdigit()}
            rows = [row for row in rows if row["teacher"].pk in posted]
            for row in rows:
                t = row["teacher"]
                row["took_part"] = request.POST.get(f"took_part_{t.pk}") == "on"
                row["score"] = request.POST.get(f"score_{t.pk}", "").strip()
                row["areas"] = {int(x) for x in request.POST.getlist(f"areas_{t.pk}") if x.isdigit()}
                if row["score"]:
                    try:
                        value = Decimal(row["score"].replace(",", "."))
                    except InvalidOperation:
                        errors[t.pk] = f"«{row['score']}» — не число."
                        continue
                    if value < 0 or (campaign.max_score is not None and value > campaign.max_score):
                        errors[t.pk] = f"Балл должен быть от 0 до {campaign.max_score or '…'}."
                    row["value"] = value
                if not row["took_part"] and (row["score"] or row["areas"]):
                    errors[t.pk] = "Отметьте участие или очистите балл и дефициты."
            if not errors:
                saved = _save_results(campaign, rows)
                messages.success(request, f"Изменено результатов: {saved}." if saved
                                 else "Изменений нет: всё уже было сохранено.")
                return redirect(f"{request.path}?school={school.pk}")
            messages.error(request, "Ничего не сохранено: исправьте строки, отмеченные красным.")
    return render(request, "teachers/bulk/campaign_results.html", {
        "campaign": campaign, "schools": schools, "school": school, "rows": rows, "areas": areas,
        "errors": errors, "can_edit": scoping.can_edit(user),
    })


@transaction.atomic
def _save_results(campaign, rows):
    """Write the rows that differ from what is stored; how many did (an unchanged row is not counted or touched)."""
    saved = 0
    for row in rows:
        result = row["result"]
        if not row["took_part"]:
            if result is not None:
                result.delete()
                saved += 1
            continue
        value = row.get("value")
        if result is not None and result.score == value and {a.pk for a in result.deficit_areas.all()} == row["areas"]:
            continue
        if result is None:
            result = DiagnosticResult(campaign=campaign, teacher=row["teacher"])
        result.score = value
        result.has_deficits = bool(row["areas"])
        result.save()
        result.deficit_areas.set(row["areas"])
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
        role = request.POST.get("role")
        if role not in Participation.Role.values:
            messages.error(request, "Выберите роль участников.")
        else:
            allowed = {t.pk for t in people}
            chosen = [int(x) for x in request.POST.getlist("teachers") if x.isdigit()]
            outside = [x for x in chosen if x not in allowed]
            if outside:
                raise Http404("Педагог не найден.")
            new = [x for x in chosen if x not in already]
            with transaction.atomic():
                for teacher_id in new:
                    Participation.objects.create(event=event, teacher_id=teacher_id, role=role)
            skipped = len(chosen) - len(new)
            messages.success(request, f"Добавлено участников: {len(new)}"
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
    month = request.GET.get("month", "")
    if month:
        try:
            year_s, month_s = month.split("-")
            planned = planned.filter(planned_date__year=int(year_s), planned_date__month=int(month_s))
        except ValueError:
            month = ""
    planned = list(planned.select_related("route__teacher", "deficit_area").order_by("planned_date", "pk")[:300])
    if request.method == "POST":
        done_on = _parse_date(request.POST.get("done_on", ""))
        chosen = {int(x) for x in request.POST.getlist("activities") if x.isdigit()}
        ids = {a.pk for a in planned}
        if done_on is None:
            messages.error(request, "Укажите дату выполнения в формате дд.мм.гггг.")
        elif done_on > timezone.localdate():
            messages.error(request, "Дата выполнения не может быть в будущем.")
        elif not chosen:
            messages.error(request, "Отметьте хотя бы одно мероприятие.")
        elif not chosen <= ids:
            raise Http404("Мероприятие не найдено.")
        else:
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
