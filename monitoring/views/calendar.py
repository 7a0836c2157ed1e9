from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mskoko.params import BadParameter, query_id, query_year
from teachers.models import Role
from teachers.scoping import for_roles, may_open, municipalities_for, pick_municipality

from .. import calendar
from ..models import MonitoringYear


def municipality_and_year(request, default_year=None):
    """The municipality named in the request (GET, or POST for a form) among those the user may see — the first
    by default —, the year asked for (or `default_year`), and the municipalities to choose from. 404 otherwise."""
    data = request.POST if request.method == "POST" else request.GET
    wanted = query_id(data, "municipality")
    year = query_year(data, "year", default_year)
    if year is None:
        raise BadParameter("Не указан год.")
    municipality = pick_municipality(request.user, wanted)
    return municipality, year, municipalities_for(request.user).order_by("name")


def calendar_page(request):
    today = timezone.localdate()
    municipality, year, allowed = municipality_and_year(request, today.year)
    my = (MonitoringYear.objects.filter(municipality=municipality, year=year)
          .prefetch_related("stages", "windows__direction", "periods").first())
    years = list(MonitoringYear.objects.filter(municipality=municipality).values_list("year", flat=True))
    return render(request, "monitoring/calendar.html", {
        "municipality": municipality, "year": year, "my": my, "today": today,
        "years": sorted(set(years) | {today.year}, reverse=True),
        "overview": calendar.overview(municipality, today),
        "municipalities": allowed,
        "can_manage": may_open(request.user, "monitoring-calendar-create"),
    })


@require_POST
@for_roles(Role.ADMIN, message="Календарь мониторинга настраивает администратор.")
def create_year(request):
    municipality, year, _ = municipality_and_year(request)
    calendar.create_year_with_defaults(municipality, year)
    return redirect(f"/monitoring/calendar/?municipality={municipality.pk}&year={year}")
