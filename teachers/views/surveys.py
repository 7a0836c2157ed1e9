"""Pages of the teachers' requests questionnaire for signed-in users: the surveys, opening one, its links (page to
print and XLSX), and the summary of the requests registry by topic, deficit area and format."""
import tempfile

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from mskoko.params import query_id, query_year

from .. import scoping, surveys
from ..exporting import XLSX_CONTENT_TYPE, cell_value, write_xlsx
from ..models import RequestSurvey, Role, School
from ..naming import natural_order
from ..personal_data import record_download


class SurveyForm(forms.Form):
    title = forms.CharField(label="Название", max_length=300,
                            initial="Анкета «Запрос на повышение квалификации и профессиональное развитие»")
    year = forms.IntegerField(label="Год запросов", min_value=2000, max_value=2100)
    opens_on = forms.DateField(label="Открыта с", input_formats=["%d.%m.%Y", "%Y-%m-%d"])
    closes_on = forms.DateField(label="Открыта по (включительно)", input_formats=["%d.%m.%Y", "%Y-%m-%d"])
    school = forms.ModelChoiceField(label="ОО", queryset=School.objects.none(), required=False,
                                    empty_label="все ОО муниципалитета")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        schools = natural_order(scoping.writable_schools(user).filter(is_active=True))
        field = self.fields["school"]
        field.queryset = schools
        if scoping.role_of(user) == Role.SCHOOL_HEAD:
            field.required, field.empty_label = True, None
            field.initial = user.school_id
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-select" if isinstance(f.widget, forms.Select) else "form-control"
            if isinstance(f, forms.DateField):
                f.widget.attrs["placeholder"] = "дд.мм.гггг"
                f.widget.format = "%d.%m.%Y"


@scoping.for_roles(*scoping.ALL_ROLES)
def survey_list(request):
    qs = (scoping.scoped(request.user, RequestSurvey.objects.select_related("school", "municipality"))
          .annotate(invited=Count("invitations", filter=_own_invitations(request.user)),
                    answered=Count("invitations", filter=_own_invitations(request.user)
                                   & Q(invitations__answered_at__isnull=False))))
    today = timezone.localdate()
    return render(request, "teachers/survey/list.html", {
        "surveys": qs, "today": today,
        "can_open": scoping.may_open(request.user, "survey-create")
        and scoping.can_edit(request.user, model=RequestSurvey),
    })


def _own_invitations(user):
    """A head counts the links of their own school's people (a district survey has the others too)."""
    if scoping.is_school_head(user):
        return Q(invitations__school_id=user.school_id)
    return Q()


@scoping.for_roles(*scoping.EDITOR_ROLES, message="Анкету открывает руководитель ОО или методист.")
def survey_create(request):
    today = timezone.localdate()
    opens, closes = surveys.default_dates(today)
    if request.method == "POST":
        form = SurveyForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                survey = surveys.open_survey(request.user, title=data["title"], year=data["year"],
                                             opens_on=data["opens_on"], closes_on=data["closes_on"],
                                             school=data["school"])
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, " ".join(getattr(exc, "messages", None) or [str(exc)]))
            else:
                messages.success(request, f"Анкета открыта, ссылок выдано: {survey.invitations.count()}.")
                return redirect("survey-detail", survey.pk)
    else:
        form = SurveyForm(user=request.user, initial={"year": today.year, "opens_on": opens, "closes_on": closes})
    return render(request, "teachers/survey/form.html", {"form": form})


def _survey(request, pk):
    return scoping.get_scoped_object_or_404(
        request.user, RequestSurvey.objects.select_related("school", "municipality", "created_by"), pk=pk)


@scoping.for_roles(*scoping.ALL_ROLES)
def survey_detail(request, pk):
    survey = _survey(request, pk)
    invitations = list(surveys.invitations_for(request.user, survey).prefetch_related("requests"))
    manage = surveys.can_manage(request.user, survey)
    totals = survey.invitations.aggregate(invited=Count("pk"), answered=Count("pk", filter=Q(
        answered_at__isnull=False)))
    return render(request, "teachers/survey/detail.html", {
        "survey": survey, "invitations": invitations, "manage": manage, "totals": totals,
        "state": survey.state(), "base_url": request.build_absolute_uri("/")[:-1],
        "answered_here": sum(1 for i in invitations if i.answered_at),
        "reissuable": surveys.reissuable_ids(request.user, survey),
        "summary_url": f"{reverse('request-summary')}?year={survey.year}&municipality={survey.municipality_id}",
    })


@require_POST
@scoping.for_roles(*scoping.EDITOR_ROLES)
def survey_invite(request, pk):
    survey = _survey(request, pk)
    if not surveys.can_manage(request.user, survey):
        raise PermissionDenied("Список ссылок этой анкеты ведёт другая ОО или методист.")
    if survey.state() == "closed":
        messages.error(request, "Анкета закрыта: новые ссылки не выдаются.")
    else:
        added = surveys.invite_staff(request.user, survey)
        messages.success(request, f"Добавлено ссылок: {added}." if added else "Новых сотрудников нет: ссылки есть у всех.")
    return redirect("survey-detail", survey.pk)


@require_POST
@scoping.for_roles(*scoping.EDITOR_ROLES, message="Ссылки выдают руководитель ОО и методист.")
def survey_reissue(request, pk, invitation_pk):
    survey = _survey(request, pk)
    invitation = get_object_or_404(surveys.invitations_for(request.user, survey), pk=invitation_pk)
    surveys.reissue(request.user, invitation)
    messages.success(request, f"Новая ссылка для {invitation.teacher.short_name} выдана; прежняя больше не "
                              "открывается. Передайте педагогу новую.")
    return redirect(f"{reverse('survey-detail', args=[survey.pk])}#link-{invitation.pk}")


@scoping.for_roles(*scoping.EDITOR_ROLES, message="Ссылки выдают руководитель ОО и методист.")
def survey_links_xlsx(request, pk):
    survey = _survey(request, pk)
    base = request.build_absolute_uri("/")[:-1]
    invitations = surveys.invitations_for(request.user, survey)
    rows = [["ФИО", "ОО", "Ссылка на анкету", "Ответ получен"]]
    for inv in invitations:
        rows.append([cell_value(inv.teacher.full_name), cell_value(inv.school.short_name),
                     base + reverse("survey-answer", args=[inv.token]),
                     inv.answered_at and timezone.localtime(inv.answered_at).strftime("%d.%m.%Y") or ""])
    tmp = tempfile.TemporaryFile(suffix=".xlsx")
    count = write_xlsx(iter(rows), tmp, title="Ссылки на анкету")
    tmp.seek(0)
    record_download(request, f"Ссылки на анкету «{survey.title}»", rows=count)
    return FileResponse(tmp, as_attachment=True, filename=f"anketa-{survey.pk}-ssylki.xlsx",
                        content_type=XLSX_CONTENT_TYPE)


@scoping.for_roles(*scoping.ALL_ROLES)
def summary_page(request):
    """The requests of a year by topic, deficit area and format: a head sees their school against the cluster and
    district totals (counts only); district roles every school and cluster."""
    today = timezone.localdate()
    year = query_year(request.GET, "year", today.year)
    municipality = scoping.pick_municipality(request.user, query_id(request.GET, "municipality"))
    summary = surveys.request_summary(municipality, year)
    head = scoping.is_school_head(request.user)
    school = request.user.school if head else None
    years = sorted({today.year, today.year - 1, today.year - 2, year} | set(
        RequestSurvey.objects.filter(municipality=municipality).values_list("year", flat=True)), reverse=True)
    clusters = [(cid, summary.cluster_names[cid], summary.clusters[cid]) for cid in summary.clusters]
    own = summary.schools.get(school.pk) if school else None
    return render(request, "teachers/survey/summary.html", {
        "summary": summary, "year": year, "years": years, "municipality": municipality,
        "municipalities": scoping.municipalities_for(request.user).order_by("name"), "school": school, "own": own,
        "clusters": clusters,
        "own_cluster": school.cluster_id if school else None,
        "topics": summary.rows("topics", school_id=school.pk if school else None),
        "areas": summary.rows("areas", school_id=school.pk if school else None),
        "formats": summary.rows("formats", school_id=school.pk if school else None),
        "school_rows": [] if head else [(s, summary.schools[s.pk]) for s in summary.school_rows],
        "registry_url": f"{reverse('request-list')}?year={year}",
    })


urlpatterns = [
    path("surveys/", survey_list, name="survey-list"),
    path("surveys/new/", survey_create, name="survey-create"),
    path("surveys/summary/", summary_page, name="request-summary"),
    path("surveys/<int:pk>/", survey_detail, name="survey-detail"),
    path("surveys/<int:pk>/invite/", survey_invite, name="survey-invite"),
    path("surveys/<int:pk>/links.xlsx", survey_links_xlsx, name="survey-links-xlsx"),
    path("surveys/<int:pk>/links/<int:invitation_pk>/reissue/", survey_reissue, name="survey-reissue"),
]
