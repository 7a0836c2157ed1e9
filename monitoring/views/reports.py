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
from teachers.scoping import can_edit, get_scoped_object_or_404, is_school_head, municipalities_for

from .. import school_reports as service
from ..models import ReportingPeriod, SchoolReport


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = SchoolReport
        fields = ["problems", "measures", "requests"]
        widgets = {f: forms.Textarea(attrs={"rows": 4, "class": "form-control"}) for f in fields}


def _periods(user, today):
    """The periods the user may pick, ended ones newest first, then the running quarter and the future ones."""
    periods = list(ReportingPeriod.objects.filter(monitoring_year__municipality__in=municipalities_for(user))
                   .select_related("monitoring_year__municipality")
                   .order_by("-end", "monitoring_year__municipality__name"))
    ended = [p for p in periods if p.end < today]
    running = sorted((p for p in periods if p.end >= today), key=lambda p: (p.start, p.monitoring_year.municipality.name))
    return ended, running


def _opening_period(user, ended, running):
    """The period to open on: for a head, the report that needs their action (returned, or the last ended quarter
    not yet sent); otherwise the last ended quarter — the one being collected and reviewed now."""
    if is_school_head(user):
        todo = service.head_todo(user.school, ended)
        if todo:
            return todo[0].period
    if ended:
        return ended[0]
    return running[0] if running else None


def report_list(request):
    today = timezone.localdate()
    ended, running = _periods(request.user, today)
    periods = ended + running
    wanted = request.GET.get("period")
    if wanted:
        period = next((p for p in periods if str(p.pk) == wanted), None)
        if period is None:
            raise Http404("Период не найден.")
    else:
        period = _opening_period(request.user, ended, running)
    rows, summary = service.completeness(request.user, period, today) if period else ([], {})
    return render(request, "monitoring/report_list.html", {
        "ended_periods": ended, "running_periods": running, "periods": periods, "period": period, "rows": rows,
        "summary": summary, "today": today, "several_municipalities": len({p.monitoring_year.municipality_id
                                                                           for p in periods}) > 1,
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


def _post_narrative(request, school, period, report):
    """The report form: «Сохранить черновик» saves the explanations, «Отправить» saves them and submits, in one
    action — so nothing typed is lost by pressing «Отправить» straight away."""
    report = report or service.report_for(request.user, school, period)
    form = NarrativeForm(request.POST, instance=report)
    if not form.is_valid():
        return form
    narrative = {name: form.cleaned_data[name] for name in service.NARRATIVE_FIELDS}
    if request.POST.get("action") == "submit":
        try:
            service.transition(request.user, report, "submit", narrative=narrative)
        except ValidationError as exc:
            try:
                service.save_narrative(request.user, report, narrative)
                saved = " Пояснения сохранены в черновике."
            except ValidationError:
                saved = ""
            messages.error(request, " ".join(exc.messages) + saved)
        else:
            messages.success(request, "Отчёт отправлен в методическую службу вместе с пояснениями.")
        return None
    try:
        service.save_narrative(request.user, report, narrative)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Черновик сохранён.")
    return None


def report_detail(request, school_id, period_id):
    school, period, report = _report_context(request, school_id, period_id)
    may_write = can_edit(request.user, school)
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied("Изменять отчёт может руководитель ОО или методист.")
        closed = (report or SchoolReport(school=school, period=period)).read_only_reason()
        if closed:
            messages.error(request, closed)
            return redirect(request.path)
        form = _post_narrative(request, school, period, report)
        if form is None:
            return redirect(request.path)
        report = form.instance
    else:
        form = NarrativeForm(instance=report)
    frozen = report is not None and report.is_frozen
    content = report.content if frozen else service.build_content(school, period)
    changed = service.changes_since(report) if report and report.status == SchoolReport.Status.ACCEPTED else None
    draft = report or SchoolReport(school=school, period=period)
    closed = draft.read_only_reason()  # a closed monitoring year: the report is read-only for everyone
    actions = service.allowed_actions(request.user, draft) if (may_write or report) and not closed else []
    may_edit = may_write and draft.is_editable and not closed
    sections = [(key, title, content["sections"].get(key, [])) for key, title in service.SECTIONS]
    return render(request, "monitoring/report_detail.html", {
        "school": school, "period": period, "report": report, "content": content, "sections": sections,
        "form": form, "may_edit": may_edit, "frozen": frozen, "changed": changed, "closed": closed,
        "may_submit": any(a.name == "submit" for a in actions),
        "not_yet": service.submit_problem(draft) if may_edit else None,
        "decisions": [a for a in actions if a.name != "submit"],
        "transitions": report.transitions.select_related("user") if report else [],
        "status_label": report.get_status_display() if report else "не начат",
    })


@require_POST
def report_action(request, school_id, period_id):
    school, period, report = _report_context(request, school_id, period_id)
    if not can_edit(request.user, school):
        raise PermissionDenied("Просмотр без права изменения.")
    name = request.POST.get("action", "")
    if report is None and name != "submit":
        raise PermissionDenied("Отчёт ещё не начат.")
    url = reverse("school-report", args=[school.pk, period.pk])
    try:
        report = report or service.report_for(request.user, school, period)  # refused in a closed year
        service.transition(request.user, report, name, request.POST.get("comment", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(url)
    labels = {"submit": "Отчёт отправлен в методическую службу.", "accept": "Отчёт принят.",
              "return": "Отчёт возвращён на доработку."}
    messages.success(request, labels.get(name, "Готово."))
    return redirect(url)
