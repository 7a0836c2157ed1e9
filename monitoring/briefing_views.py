"""The аналитическая справка page: the numbers per direction and the text, drafted and then edited."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from teachers.scoping import DISTRICT_ROLES, can_edit, for_roles

from . import briefing as service
from .models import Briefing
from .views import municipality_and_year


def _choice(request):
    return municipality_and_year(request, timezone.localdate().year - 1)


@for_roles(*DISTRICT_ROLES, message="Аналитическую справку готовит муниципальная методическая служба.")
def briefing_page(request):
    municipality, year, allowed = _choice(request)
    may_edit = can_edit(request.user, model=Briefing)
    facts = service.facts(municipality, year)
    doc = service.briefing_for(municipality, year, facts)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("Изменять справку может методист.")
        if request.POST.get("redraft"):
            text = service.draft(municipality, year, facts)
            doc.intro, doc.summary, doc.conclusions = text["intro"], text["summary"], text["conclusions"]
            note = "Текст составлен заново по цифрам."
        else:
            doc.intro = request.POST.get("intro", "").strip()
            doc.summary = request.POST.get("summary", "").strip()
            doc.signatory = request.POST.get("signatory", "").strip()[:300]
            doc.conclusions = {d.direction.code: request.POST.get(f"conclusion_{d.direction.code}", "").strip()
                               for d in facts["directions"]}
            note = "Справка сохранена."
        doc.updated_by = request.user
        doc.save()
        messages.success(request, note)
        return redirect(f"{request.path}?municipality={municipality.pk}&year={year}")
    directions = [(d, doc.conclusions.get(d.direction.code, d.conclusion)) for d in facts["directions"]]
    this_year = timezone.localdate().year
    return render(request, "monitoring/briefing.html", {
        "municipality": municipality, "municipalities": allowed, "year": year, "facts": facts, "doc": doc,
        "directions": directions, "may_edit": may_edit, "years": list(range(this_year, this_year - 5, -1)),
    })
