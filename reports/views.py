"""Ordering documents, watching them being made, downloading them."""
from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from teachers.models import Role
from teachers.personal_data import record_download
from teachers.scoping import default_municipality, municipalities_for, role_of

from . import tasks
from .documents.base import JobError
from .documents.registry import REGISTRY, check
from .documents.gost import SIGNATORY_FIELDS, remember, remembered
from .models import Format, Job, Status


class OrderForm(forms.Form):
    kind = forms.ChoiceField(label="Документ", choices=())
    fmt = forms.ChoiceField(label="Формат", choices=Format.choices, initial=Format.PDF)
    municipality = forms.ModelChoiceField(label="Муниципалитет", queryset=None, empty_label=None, required=False)
    year = forms.IntegerField(label="Год", required=False)
    on = forms.DateField(label="На дату", required=False)
    number = forms.CharField(label="Номер документа", max_length=30, required=False)
    date = forms.DateField(label="Дата документа", required=False)
    signer_title = forms.CharField(label="Должность подписывающего", max_length=200, required=False)
    signer_name = forms.CharField(label="Подписывает (ФИО)", max_length=200, required=False)
    executor_name = forms.CharField(label="Исполнитель (ФИО)", max_length=200, required=False)
    executor_phone = forms.CharField(label="Телефон исполнителя", max_length=60, required=False)
    approvers = forms.CharField(label="Согласование", required=False, max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 3}),
                                help_text="По строке на визу: «должность; ФИО».")
    route = forms.IntegerField(label="ИОМ (номер записи)", required=False, min_value=1)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        municipalities = municipalities_for(user).order_by("name")
        self.fields["municipality"].queryset = municipalities
        role = role_of(user)
        self.fields["kind"].choices = [(d.kind, d.title) for d in REGISTRY.values() if role in d.roles]
        this_year = timezone.localdate().year
        self.fields["year"].initial = this_year - 1
        # The signer, executor and approvers last chosen for the user's municipality (the first one they see).
        first = default_municipality(user)
        saved = remembered(first) if first else None
        if saved:
            for name in SIGNATORY_FIELDS:
                self.fields[name].initial = getattr(saved, name)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"

    def clean(self):
        data = super().clean()
        doc = REGISTRY.get(data.get("kind"))
        if doc is None:
            return data
        if doc.needs_municipality and not data.get("municipality"):
            self.add_error("municipality", "Выберите муниципалитет.")
        if data.get("fmt") and data["fmt"] not in doc.formats:
            self.add_error("fmt", "Этот документ не готовится в таком формате: "
                           + ", ".join(Format(f).label for f in doc.formats) + ".")
        if doc.needs_route and not data.get("route"):
            self.add_error("route", "Укажите ИОМ (откройте документ со страницы ИОМ педагога).")
        if doc.needs_year:
            year = data.get("year")
            if not year:
                self.add_error("year", "Укажите год.")
            elif not 2000 <= year <= timezone.localdate().year:
                self.add_error("year", "Год должен быть не позже текущего.")
        return data

    def params(self):
        d = self.cleaned_data
        needs = REGISTRY[d["kind"]].needs_municipality
        out = {"municipality": d["municipality"].pk} if needs and d.get("municipality") else {}
        if d.get("year"):
            out["year"] = d["year"]
        if d.get("on"):
            out["on"] = d["on"].isoformat()
        doc = REGISTRY[d["kind"]]
        if doc.signed:
            out["number"] = d.get("number") or ""
            if d.get("date"):
                out["date"] = d["date"].isoformat()
            for name in SIGNATORY_FIELDS:
                if d.get(name):
                    out[name] = d[name].strip()
        if doc.needs_route:
            out["route"] = d["route"]
        return out


def _own_job(request, pk):
    qs = Job.objects.all() if role_of(request.user) == Role.ADMIN else Job.objects.filter(owner=request.user)
    return get_object_or_404(qs, pk=pk)


def documents(request):
    # GET ?kind=route&route=<pk>&fmt=docx: the teacher's ИОМ page links here with the route filled in.
    initial = {k: request.GET[k] for k in ("kind", "route", "fmt") if request.GET.get(k)}
    form = OrderForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            params = form.params()
            try:
                doc = check(request.user, form.cleaned_data["kind"], params)
            except JobError as exc:
                raise PermissionDenied(str(exc)) from None
            if doc.signed and doc.needs_municipality:
                remember(form.cleaned_data["municipality"], params)
            try:
                job = tasks.start(request.user, doc.kind, form.cleaned_data["fmt"], params, _title(doc, params))
            except tasks.JobsUnavailable as exc:
                return _documents_page(request, form, unavailable=str(exc), status=503)
            return redirect("document-job", pk=job.pk)
    return _documents_page(request, form)


def _documents_page(request, form, unavailable="", status=200):
    jobs = Job.objects.filter(owner=request.user).order_by("-created_at")[:30]
    whole_region = [title for kind, title in form.fields["kind"].choices if not REGISTRY[kind].needs_municipality]
    return render(request, "reports/documents.html", {"form": form, "jobs": jobs, "whole_region": whole_region,
                                                      "unavailable": unavailable}, status=status)


def _title(doc, params):
    if params.get("route"):
        return f"{doc.title} (запись № {params['route']})"
    if params.get("year"):
        return f"{doc.title} за {params['year']} год"
    if params.get("on"):
        return f"{doc.title} на {params['on'][8:10]}.{params['on'][5:7]}.{params['on'][:4]}"
    return f"{doc.title} на {timezone.localdate():%d.%m.%Y}"


def job_page(request, pk):
    job = _own_job(request, pk)
    return render(request, "reports/job.html", {"job": job})


def job_status(request, pk):
    job = _own_job(request, pk)
    return JsonResponse({
        "status": job.status, "status_display": job.get_status_display(), "progress": job.progress,
        "message": job.message, "notice": _notice(job),
        "download_url": reverse("document-download", args=[job.pk]) if job.status == Status.DONE else None,
    })


def _notice(job):
    """For a job that waits or runs without a sign of life for longer than usual: what is going on."""
    from datetime import timedelta

    from django.conf import settings

    stale = timezone.now() - timedelta(seconds=settings.REPORTS_STALE_SECONDS)
    if job.status == Status.QUEUED and (job.heartbeat or job.created_at) < stale:  # requeued: since then
        return ("Документ ждёт обработчика фоновых заданий дольше обычного: он занят или не запущен. "
                "Страницу можно закрыть — документ появится в списке «Мои документы».")
    if job.status == Status.RUNNING and job.heartbeat and job.heartbeat < stale:
        return "Обработчик заданий не отвечает; документ будет подготовлен заново автоматически."
    return ""


def download(request, pk):
    job = _own_job(request, pk)
    if job.status != Status.DONE or not job.file:
        raise Http404("Документ ещё не готов или удалён.")
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404("Файл документа удалён.") from None
    record_download(request, job.title, query=f"job={job.pk}&fmt={job.fmt}")
    return FileResponse(handle, as_attachment=True, filename=job.file_name, content_type=job.content_type)


@require_POST
def retry(request, pk):
    """Order the same document again (after a failure, or for fresh numbers)."""
    old = _own_job(request, pk)
    try:
        check(request.user, old.kind, old.params)
    except JobError as exc:
        raise PermissionDenied(str(exc)) from None
    try:
        job = tasks.start(request.user, old.kind, old.fmt, old.params, old.title)
    except tasks.JobsUnavailable as exc:
        return _documents_page(request, OrderForm(user=request.user), unavailable=str(exc), status=503)
    return redirect("document-job", pk=job.pk)
