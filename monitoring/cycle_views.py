"""Pages of the management cycle: its records (declared like the staff records) and the section-2.2 table."""
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone

from teachers.pages.records import Spec, build
from teachers.scoping import can_edit

from . import cycle
from .models import Analysis, Decision, EffectivenessReview, Goal, Measure, Method, Recommendation
from .views import municipality_and_year

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
         select_related=("direction",), search=("text",), title_plural="адресные рекомендации"),
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
         detail_template="monitoring/review_detail.html"),
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
    *[pattern for spec in SPECS for pattern in build(spec)],
]
