from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from teachers.scoping import municipalities_for

from . import calendar
from .models import MonitoringYear


def _municipality(request):
    allowed = municipalities_for(request.user).order_by("name")
    wanted = request.GET.get("municipality") or request.POST.get("municipality")
    if wanted:
        try:
            return allowed.get(pk=int(wanted))
        except (ValueError, allowed.model.DoesNotExist):
            raise Http404("Муниципалитет не найден.") from None
    first = allowed.first()
    if first is None:
        raise Http404("Нет доступных муниципалитетов.")
    return first


def calendar_page(request):
    municipality = _municipality(request)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        raise Http404("Неверный год.") from None
    my = (MonitoringYear.objects.filter(municipality=municipality, year=year)
          .prefetch_related("stages", "windows__direction", "periods").first())
    years = list(MonitoringYear.objects.filter(municipality=municipality).values_list("year", flat=True))
    return render(request, "monitoring/calendar.html", {
        "municipality": municipality, "year": year, "my": my, "today": today,
        "years": sorted(set(years) | {today.year}, reverse=True),
        "overview": calendar.overview(municipality, today),
        "municipalities": municipalities_for(request.user).order_by("name"),
        "can_manage": request.user.is_admin_role,
    })


@require_POST
def create_year(request):
    if not request.user.is_admin_role:
        raise PermissionDenied("Календарь мониторинга настраивает администратор.")
    municipality = _municipality(request)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        raise Http404("Неверный год.") from None
    calendar.create_year_with_defaults(municipality, year)
    return redirect(f"/monitoring/calendar/?municipality={municipality.pk}&year={year}")
