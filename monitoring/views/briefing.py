"""The аналитическая справка page: the numbers per direction and the text, drafted and then edited."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from teachers.scoping import DISTRICT_ROLES, can_edit, for_roles

from .. import briefing as service
from ..forms import BriefingForm
from ..models import Briefing
from .calendar import municipality_and_year


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
            form = BriefingForm({"intro": doc.intro, "summary": doc.summary, "signatory": doc.signatory,
                                 **{BriefingForm.conclusion_field(code): value
                                    for code, value in doc.conclusions.items()}},
                                instance=doc, directions=facts["directions"], user=request.user)
            note = "Текст составлен заново по цифрам."
        else:
            form = BriefingForm(request.POST, instance=doc, directions=facts["directions"], user=request.user)
            note = "Справка сохранена."
        if form.is_valid():
            doc = form.save(commit=False)
            doc.updated_by = request.user
            doc.save()
            messages.success(request, note)
            return redirect(f"{request.path}?municipality={municipality.pk}&year={year}")
        messages.error(request, "Справка не сохранена: исправьте отмеченное.")
    else:
        form = BriefingForm(instance=doc, directions=facts["directions"], user=request.user)
    this_year = timezone.localdate().year
    return render(request, "monitoring/briefing.html", {
        "municipality": municipality, "municipalities": allowed, "year": year, "facts": facts, "doc": doc,
        "form": form, "directions": form.conclusion_rows(), "may_edit": may_edit,
        "years": list(range(this_year, this_year - 5, -1)),
    })
