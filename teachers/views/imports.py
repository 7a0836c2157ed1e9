"""Pages of the XLSX imports: «Импорт» (the kinds), upload → preview → apply, templates, «История загрузок».

Every kind (`importing.kinds.KINDS`) runs through the same pages. Who may import: school heads (their own
school's people, refused row by row otherwise), methodologists and admins (their scope); viewers get 403 on
every page here. What a file is imported into (a school, a campaign, an event, an association, a
municipality) is chosen from the kind's scoped choices. The uploaded file waits server-side under a token
kept in the uploader's session (see `importing.service`).
"""
import logging
import os

from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from openpyxl import Workbook

from .. import personal_data, pickers, scoping
from ..exporting import XLSX_CONTENT_TYPE, neutralise
from ..importing import kinds as import_kinds
from ..importing import service
from ..importing.reader import ImportFileError
from ..importing.template import build_template
from ..models import ImportLog
from ..widgets import PickerSelect
from . import pickers as picker_pages

logger = logging.getLogger(__name__)

HISTORY_LIMIT = 20
PROBLEMS_SHOWN = 1000
OUTCOMES_SHOWN = 500


IMPORTER_ROLES = scoping.EDITOR_ROLES
IMPORTER_DENIED = "Загружать данные из XLSX могут руководители ОО, методисты и администраторы."


importers_only = scoping.for_roles(*IMPORTER_ROLES, message=IMPORTER_DENIED)


def _kind_or_404(code):
    kind = import_kinds.get(code)
    if kind is None:
        raise Http404("Такого вида загрузки нет.")
    return kind


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Файл XLSX", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
        error_messages={"required": "Выберите файл XLSX, заполненный по шаблону."},
    )

    picker_depends = {}  # no field narrows another (see teachers.views.pickers)
    bound_kind = None  # set on the per-kind classes the picker endpoint knows (`_register_pickers`)

    def __init__(self, *args, user, kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        kind = kind or self.bound_kind
        self.kind = kind
        self.fixed_target = None
        context = kind.context
        if context is None:
            return
        choices = context.choices(user)
        field = forms.ModelChoiceField(label=context.label, queryset=choices, empty_label=context.empty,
                                       required=context.required, help_text=context.help)
        if pickers.wants_picker(field):
            # Campaigns, events, associations grow with the district: the page renders only the chosen one and
            # the browser asks the picker endpoint for the rest, from this same queryset.
            field.widget = PickerSelect(url=reverse("picker", args=[_picker_key(kind), context.name]), user=user)
            field.widget.field_name, field.widget.is_required = context.name, context.required
            field.widget.choices = field.choices
        field.widget.attrs["class"] = "form-select"
        field.error_messages["invalid_choice"] = (
            "Загрузить штат можно только в свою ОО (или в ОО своего муниципалитета)." if kind.staff else
            f"Выберите «{context.label.lower()}» из списка: загрузить можно только туда, что вам доступно.")
        field.error_messages["required"] = f"Выберите, куда загрузить: «{context.label.lower()}»."
        self.fields = {context.name: field, **self.fields}
        only = list(choices[:2])
        if len(only) == 1 and (kind.staff or context.name in ("school", "municipality")):
            field.initial = only[0].pk
            field.widget = forms.HiddenInput()
            self.fixed_target = only[0]

    @classmethod
    def may_pick(cls, user):
        """Who the picker endpoint answers for this form: those who may import this kind."""
        return cls.bound_kind in import_kinds.available(user)

    @property
    def target_field(self):
        return self[self.kind.context.name] if self.kind.context else None

    def target(self):
        return self.cleaned_data.get(self.kind.context.name) if self.kind.context else None

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        name = (uploaded.name or "").lower()
        if name.endswith((".xlsm", ".xltm")):
            raise forms.ValidationError(
                "Файл с макросами (.xlsm) не принимается. Сохраните данные как «Книга Excel (.xlsx)» без макросов."
            )
        try:
            service.check_upload_size(uploaded.size)
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc)) from None
        return uploaded


def _picker_key(kind):
    return f"import-{kind.code}"


def _register_pickers():
    for kind in import_kinds.KINDS:
        if kind.context is not None:
            form_class = type(f"{kind.code.title()}UploadForm", (UploadForm,), {"bound_kind": kind})
            picker_pages.register(_picker_key(kind), form_class, "import")


_register_pickers()


def _history(user, kind=None):
    logs = ImportLog.objects.all()
    visible = scoping.scoped(user, logs)
    if scoping.role_of(user) != scoping.Role.ADMIN:
        # District-wide imports (no school) are seen by their author and the municipality's methodologists.
        own = logs.filter(user=user)
        if not scoping.is_school_head(user):
            own = own | logs.filter(school__isnull=True, user__municipality_id=user.municipality_id)
        visible = visible | own
    if kind is not None:
        visible = visible.filter(kind=kind.code)
    return _titled(visible.select_related("user", "school").order_by("-created", "-pk")[:HISTORY_LIMIT])


def _titled(logs):
    """The logs with `kind_title` set: what was imported, as the import page names it."""
    logs = list(logs)
    for log in logs:
        kind = import_kinds.get(log.kind)
        log.kind_title = kind.title if kind else log.kind
    return logs


def _limits():
    return {"max_rows": f"{settings.IMPORT_MAX_ROWS:,}".replace(",", "\u00a0"),
            "max_mb": settings.IMPORT_MAX_FILE_BYTES // 1024 // 1024}


@require_http_methods(["GET"])
@importers_only
def import_index(request):
    return render(request, "teachers/import/index.html", {
        "kinds": import_kinds.available(request.user), "history": _history(request.user), **_limits(),
    })


def _start_page(request, form, status=200, file_error=None):
    return render(request, "teachers/import/start.html", {
        "form": form,
        "kind": form.kind,
        "file_error": file_error,
        "history": _history(request.user, form.kind),
        "fixed_target": form.fixed_target,
        "target_field": form.target_field,
        **_limits(),
    }, status=status)


@require_http_methods(["GET", "POST"])
@importers_only
def import_start(request, kind="staff"):
    kind = _kind_or_404(kind)
    if kind not in import_kinds.available(request.user):
        raise Http404("Такого вида загрузки нет.")
    if request.method == "GET":
        return _start_page(request, UploadForm(user=request.user, kind=kind))
    form = UploadForm(request.POST, request.FILES, user=request.user, kind=kind)
    if form.fixed_target is not None and kind.context.name not in request.POST:
        data = request.POST.copy()
        data[kind.context.name] = form.fixed_target.pk
        form = UploadForm(data, request.FILES, user=request.user, kind=kind)
    if not form.is_valid():
        return _start_page(request, form, status=400)
    target = form.target()
    uploaded = form.cleaned_data["file"]
    token = service.stage_upload(request, uploaded, target, kind=kind.code)
    staged = service.staged_upload(request, token)
    try:
        # File-level checks answer on the upload page itself; row checks are the preview's job.
        service.read_workbook(staged["path"], staged["file_name"], kind.columns)
    except ImportFileError as exc:
        service.discard(request, token)
        return _start_page(request, form, status=400, file_error=str(exc))
    return redirect("staff-import-preview", token=token)


def _staged_or_gone(request, token):
    """(staged info with its kind, the target it goes into) or (None, None) when the token is not usable; every
    page calling it is `importers_only`."""
    staged = service.staged_upload(request, token)
    if staged is None:
        return None, None
    kind = import_kinds.get(staged.get("kind", "staff"))
    if kind is None or kind not in import_kinds.available(request.user):
        service.discard(request, token)
        raise Http404("Такого вида загрузки нет.")
    staged["kind"] = kind
    target = None
    if kind.context is not None:
        # The target is looked up again within the user's choices: rights may have changed since the upload.
        wanted = staged.get("target") or staged.get("school")
        target = kind.context.choices(request.user).filter(pk=wanted).first() if wanted else None
        if target is None and (wanted or kind.context.required):
            service.discard(request, token)
            raise Http404("Не найдено, куда загружать.")
    return staged, target


def _gone(request):
    messages.warning(
        request, "Загруженный файл больше недоступен: он уже применён, отменён или устарел. Загрузите файл заново."
    )
    return redirect("import")


def _preview_page(request, staged, target, plan=None, file_error=None, apply_error=None, status=200):
    kind = staged["kind"]
    context = {
        "staged": staged, "kind": kind, "target": target, "school": target, "plan": plan, "file_error": file_error,
        "apply_error": apply_error, "token": staged["token"],
        "target_label": kind.context.label if kind.context else "",
    }
    if plan is not None:
        outcomes = plan.outcomes()
        changed = [o for o in outcomes if not o["unchanged"]]
        sheet = getattr(plan, "sheet", None)
        context.update(
            counts=plan.counts(),
            understood=sheet.understood() if sheet is not None else [],
            problems=plan.problems[:PROBLEMS_SHOWN],
            problems_hidden=max(0, len(plan.problems) - PROBLEMS_SHOWN),
            changed=changed[:OUTCOMES_SHOWN],
            changed_hidden=max(0, len(changed) - OUTCOMES_SHOWN),
            unchanged=[o for o in outcomes if o["unchanged"]][:OUTCOMES_SHOWN],
        )
    return render(request, "teachers/import/preview.html", context, status=status)


def _planned(request, token):
    """(staged, target, plan) of the user's staged upload, or (the page to answer with, None, None): the upload is
    gone, or its file cannot be read (then it is discarded)."""
    staged, target = _staged_or_gone(request, token)
    if staged is None:
        return _gone(request), None, None
    try:
        plan = service.analyse_kind(staged["kind"], staged["path"], target, staged["file_name"], user=request.user)
    except ImportFileError as exc:
        service.discard(request, token)
        return _preview_page(request, staged, target, file_error=str(exc), status=400), None, None
    return staged, target, plan


@require_http_methods(["GET"])
@importers_only
def import_preview(request, token):
    staged, target, plan = _planned(request, token)
    if plan is None:
        return staged  # the answer: gone, or the file's error
    return _preview_page(request, staged, target, plan=plan)


@require_POST
@importers_only
def import_apply(request, token):
    staged, target = _staged_or_gone(request, token)
    if staged is None:
        return _gone(request)
    kind = staged["kind"]
    claimed = service.claim(token)
    if claimed is None:  # another apply of this token (a double click) has taken the file
        return _gone(request)
    try:
        log = service.apply_kind(kind, claimed, target, request.user, staged["file_name"])
    except ImportFileError as exc:
        service.discard(request, token)
        return _preview_page(request, staged, target, file_error=str(exc), status=400)
    except service.ImportRejected as exc:
        service.release(token)
        return _preview_page(request, staged, target, plan=exc.plan, status=400, apply_error=(
            "При повторной проверке перед записью найдены ошибки — ничего не записано."
        ))
    except DatabaseError:
        service.release(token)
        logger.exception("Import (%s) failed to write %s into %r", kind.code, staged["file_name"], target)
        return _preview_page(request, staged, target, status=500, apply_error=(
            "Не удалось сохранить данные из-за ошибки базы данных — ничего не записано. "
            "Попробуйте ещё раз; если ошибка повторится, сообщите администратору."
        ))
    except Exception:
        service.release(token)
        raise
    service.discard(request, token)
    messages.success(request, f"Загрузка применена: {log.file_name}.")
    return redirect("staff-import-log", pk=log.pk)


@require_POST
@importers_only
def import_cancel(request, token):
    service.discard(request, token)  # only a token of this user's session; another's is left alone
    messages.info(request, "Загрузка отменена, файл удалён.")
    return redirect("import")


@require_http_methods(["GET"])
@importers_only
def import_problems_xlsx(request, token):
    """Every problem of a staged file as a spreadsheet, for long lists."""
    staged, target, plan = _planned(request, token)
    if plan is None:
        return staged
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Ошибки")
    ws.append(["Строка", "Столбец", "Значение", "Что не так"])
    for problem in plan.problems:
        ws.append([problem.row, neutralise(problem.column), neutralise(problem.value), neutralise(problem.message)])
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    base = os.path.splitext(staged["file_name"])[0] or "import"
    response["Content-Disposition"] = _attachment(f"ошибки — {base}.xlsx")
    wb.save(response)
    personal_data.record_download(request, f"Ошибки файла загрузки «{staged['file_name']}»",
                                  rows=len(plan.problems))
    return response


@require_http_methods(["GET"])
@importers_only
def import_template(request, kind="staff"):
    kind = _kind_or_404(kind)
    response = HttpResponse(build_template(kind), content_type=XLSX_CONTENT_TYPE)
    name = "шаблон загрузки штата.xlsx" if kind.staff else f"шаблон загрузки — {kind.title.lower()}.xlsx"
    response["Content-Disposition"] = _attachment(name)
    personal_data.record_download(request, f"Шаблон загрузки: {kind.title}")
    return response


@require_http_methods(["GET"])
@importers_only
def import_log(request, pk):
    log = _titled([_history_log_or_404(request.user, pk)])[0]
    return render(request, "teachers/import/log.html", {
        "log": log, "details": log.details or {}, "kind": import_kinds.get(log.kind)})


def _history_log_or_404(user, pk):
    log = ImportLog.objects.select_related("user", "school").filter(pk=pk).first()
    if log is None:
        raise Http404("Загрузка не найдена.")
    if log.school_id is not None or scoping.role_of(user) == scoping.Role.ADMIN:
        return scoping.get_scoped_object_or_404(user, ImportLog.objects.select_related("user", "school"), pk=pk)
    allowed = log.user_id == user.pk or (
        not scoping.is_school_head(user) and log.user is not None
        and log.user.municipality_id == user.municipality_id)
    if not allowed:
        raise Http404("Загрузка не найдена.")
    return log


def _attachment(file_name):
    return f"attachment; filename=\"import.xlsx\"; filename*=UTF-8''{quote(file_name)}"
