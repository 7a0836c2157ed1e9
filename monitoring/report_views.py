"""Pages for quarterly school reports: completeness per period, one report with its workflow."""
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from teachers.models import School
from teachers.scoping import can_edit, get_scoped_object_or_404, municipalities_for

from . import school_reports as service
from .models import ReportingPeriod, SchoolReport


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = SchoolReport
        fields = ["problems", "measures", "requests"]
        widgets = {f: forms.Textarea(attrs={"rows": 4, "class": "form-control"}) for f in fields}


def _periods(user):
    return (ReportingPeriod.objects.filter(monitoring_year__municipality__in=municipalities_for(user))
            .select_related("monitoring_year__municipality").order_by("-start", "monitoring_year__municipality__name"))


def _current_period(periods, today):
    """The period whose report is being collected now: the latest one that has ended, else the earliest."""
    ended = [p for p in periods if p.end < today]
    if ended:
        return ended[0]
    return periods[-1] if periods else None


def report_list(request):
    periods = list(_periods(request.user))
    today = timezone.localdate()
    wanted = request.GET.get("period")
    if wanted:
        period = next((p for p in periods if str(p.pk) == wanted), None)
        if period is None:
            raise Http404("Период не найден.")
    else:
        period = _current_period(periods, today)
    rows, summary = service.completeness(request.user, period, today) if period else ([], {})
    return render(request, "monitoring/report_list.html", {
        "periods": periods, "period": period, "rows": rows, "summary": summary, "today": today,
    })


def _report_context(request, school_id, period_id):
    school = get_scoped_object_or_404(request.user, School.objects.select_related("cluster", "municipality"),
                                      pk=school_id)
    try:
        period = ReportingPeriod.objects.select_related("monitoring_year").get(
            pk=period_id, monitoring_year__municipality_id=school.municipality_id)
    except ReportingPeriod.DoesNotExist:
        raise Http404("Период не найден.") from None
    report = SchoolReport.objects.filter(school=school, period=period).first()
    return school, period, report


def report_detail(request, school_id, period_id):
    school, period, report = _report_context(request, school_id, period_id)
    may_write = can_edit(request.user, school)
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied("Изменять отчёт может руководитель ОО или методист.")
        if report is not None and not report.is_editable:
            messages.error(request, "Отчёт уже отправлен: изменить его можно после возврата на доработку.")
            return redirect(request.path)
        report = report or service.report_for(request.user, school, period)
        form = NarrativeForm(request.POST, instance=report)
        if form.is_valid():
            form.save()
            service.Transition.objects.create(report=report, action="edit", from_status=report.status,
                                              to_status=report.status, user=request.user)
            messages.success(request, "Отчёт сохранён.")
            return redirect(request.path)
    else:
        form = NarrativeForm(instance=report)
    frozen = report is not None and report.is_frozen
    content = report.content if frozen else service.build_content(school, period)
    changed = service.changes_since(report) if report and report.status == SchoolReport.Status.ACCEPTED else None
    actions = service.allowed_actions(request.user, report) if report else []
    if report is None and may_write:
        actions = [service.ACTIONS["submit"]]
    sections = [(key, title, content["sections"].get(key, [])) for key, title in service.SECTIONS]
    return render(request, "monitoring/report_detail.html", {
        "school": school, "period": period, "report": report, "content": content, "sections": sections,
        "form": form, "may_edit": may_write and (report is None or report.is_editable), "actions": actions,
        "frozen": frozen, "changed": changed,
        "transitions": report.transitions.select_related("user") if report else [],
        "status_label": report.get_status_display() if report else "не начат",
    })


@require_POST
def report_action(request, school_id, period_id):
    school, period, report = _report_context(request, school_id, period_id)
    if not can_edit(request.user, school):
        raise PermissionDenied("Просмотр без права изменения.")
    name = request.POST.get("action", "")
    if report is None:
        if name != "submit":
            raise PermissionDenied("Отчёт ещё не начат.")
        report = service.report_for(request.user, school, period)
    url = reverse("school-report", args=[school.pk, period.pk])
    try:
        service.transition(request.user, report, name, request.POST.get("comment", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(url)
    labels = {"submit": "Отчёт отправлен в методическую службу.", "accept": "Отчёт принят.",
              "return": "Отчёт возвращён на доработку."}
    messages.success(request, labels.get(name, "Готово."))
    return redirect(url)
