"""Pages of the XLSX staff import: upload → preview → apply, the template and «История загрузок».

Who may import: a school head into their own school, a methodologist or admin
into a school of their scope (`scoping.schools_for`); viewers get 403 on every
page here. The uploaded file waits server-side under a token kept in the
uploader's session (see `importing.service`).
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
from django.views.decorators.http import require_http_methods, require_POST
from openpyxl import Workbook

from . import personal_data, scoping
from .exporting import XLSX_CONTENT_TYPE, neutralise
from .importing import service
from .importing.reader import ImportFileError
from .importing.template import build_template
from .models import ImportLog

logger = logging.getLogger(__name__)

HISTORY_LIMIT = 20
PROBLEMS_SHOWN = 1000
OUTCOMES_SHOWN = 500


IMPORTER_ROLES = scoping.EDITOR_ROLES
IMPORTER_DENIED = "Загружать штат могут руководители ОО, методисты и администраторы."


def _check_importer(user):
    scoping.check_role(user, IMPORTER_ROLES, IMPORTER_DENIED)


importers_only = scoping.for_roles(*IMPORTER_ROLES, message=IMPORTER_DENIED)


def _is_head(user):
    return scoping.is_school_head(user)


class UploadForm(forms.Form):
    school = forms.ModelChoiceField(label="ОО", queryset=None, empty_label="— выберите ОО —")
    file = forms.FileField(
        label="Файл XLSX", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
        error_messages={"required": "Выберите файл XLSX, заполненный по шаблону."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        schools = scoping.writable_schools(user).order_by("short_name")
        self.fields["school"].queryset = schools
        self.fields["school"].widget.attrs["class"] = "form-select"
        self.fields["school"].error_messages["invalid_choice"] = (
            "Загрузить штат можно только в свою ОО (или в ОО своего муниципалитета)."
        )
        if _is_head(user):
            self.fields["school"].initial = user.school_id
            self.fields["school"].widget = forms.HiddenInput()
            self.fixed_school = user.school

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


def _history(user):
    return (
        scoping.scoped(user, ImportLog.objects.all())
        .select_related("user", "school")
        .order_by("-created", "-pk")[:HISTORY_LIMIT]
    )


def _start_page(request, form, status=200, file_error=None):
    return render(request, "teachers/import/start.html", {
        "form": form,
        "file_error": file_error,
        "history": _history(request.user),
        "fixed_school": getattr(form, "fixed_school", None),
        "max_rows": f"{settings.IMPORT_MAX_ROWS:,}".replace(",", "\u00a0"),
        "max_mb": settings.IMPORT_MAX_FILE_BYTES // 1024 // 1024,
    }, status=status)


@require_http_methods(["GET", "POST"])
@importers_only
def import_start(request):
    if request.method == "GET":
        return _start_page(request, UploadForm(user=request.user))
    form = UploadForm(request.POST, request.FILES, user=request.user)
    if _is_head(request.user) and "school" not in request.POST:
        data = request.POST.copy()
        data["school"] = request.user.school_id
        form = UploadForm(data, request.FILES, user=request.user)
    if not form.is_valid():
        return _start_page(request, form, status=400)
    school = form.cleaned_data["school"]
    uploaded = form.cleaned_data["file"]
    token = service.stage_upload(request, uploaded, school)
    staged = service.staged_upload(request, token)
    try:
        # File-level checks answer on the upload page itself; row checks are the preview's job.
        service.read_workbook(staged["path"], staged["file_name"])
    except ImportFileError as exc:
        service.discard(request, token)
        return _start_page(request, form, status=400, file_error=str(exc))
    return redirect("staff-import-preview", token=token)


def _staged_or_gone(request, token):
    _check_importer(request.user)
    staged = service.staged_upload(request, token)
    if staged is None:
        return None, None
    school = scoping.writable_schools(request.user).filter(pk=staged["school"]).first()
    if school is None:
        service.discard(request, token)
        raise Http404("ОО не найдена.")
    return staged, school


def _gone(request):
    messages.warning(
        request, "Загруженный файл больше недоступен: он уже применён, отменён или устарел. Загрузите файл заново."
    )
    return redirect("staff-import")


def _preview_page(request, staged, school, plan=None, file_error=None, apply_error=None, status=200):
    context = {
        "staged": staged, "school": school, "plan": plan, "file_error": file_error, "apply_error": apply_error,
        "token": staged["token"],
    }
    if plan is not None:
        outcomes = plan.outcomes()
        changed = [o for o in outcomes if not o["unchanged"]]
        context.update(
            counts=plan.counts(),
            problems=plan.problems[:PROBLEMS_SHOWN],
            problems_hidden=max(0, len(plan.problems) - PROBLEMS_SHOWN),
            changed=changed[:OUTCOMES_SHOWN],
            changed_hidden=max(0, len(changed) - OUTCOMES_SHOWN),
            unchanged=[o for o in outcomes if o["unchanged"]][:OUTCOMES_SHOWN],
        )
    return render(request, "teachers/import/preview.html", context, status=status)


@require_http_methods(["GET"])
@importers_only
def import_preview(request, token):
    staged, school = _staged_or_gone(request, token)
    if staged is None:
        return _gone(request)
    try:
        plan = service.analyse(staged["path"], school, staged["file_name"], user=request.user)
    except ImportFileError as exc:
        service.discard(request, token)
        return _preview_page(request, staged, school, file_error=str(exc), status=400)
    return _preview_page(request, staged, school, plan=plan)


@require_POST
@importers_only
def import_apply(request, token):
    staged, school = _staged_or_gone(request, token)
    if staged is None:
        return _gone(request)
    try:
        log = service.apply_import(staged["path"], school, request.user, staged["file_name"])
    except ImportFileError as exc:
        service.discard(request, token)
        return _preview_page(request, staged, school, file_error=str(exc), status=400)
    except service.ImportRejected as exc:
        return _preview_page(request, staged, school, plan=exc.plan, status=400, apply_error=(
            "При повторной проверке перед записью найдены ошибки — ничего не записано."
        ))
    except DatabaseError:
        logger.exception("Staff import failed to write %s into school %s", staged["file_name"], school.pk)
        return _preview_page(request, staged, school, status=500, apply_error=(
            "Не удалось сохранить данные из-за ошибки базы данных — ничего не записано. "
            "Попробуйте ещё раз; если ошибка повторится, сообщите администратору."
        ))
    service.discard(request, token)
    messages.success(request, f"Загрузка применена: {log.file_name}.")
    return redirect("staff-import-log", pk=log.pk)


@require_POST
@importers_only
def import_cancel(request, token):
    service.discard(request, token)  # only a token of this user's session; another's is left alone
    messages.info(request, "Загрузка отменена, файл удалён.")
    return redirect("staff-import")


@require_http_methods(["GET"])
@importers_only
def import_problems_xlsx(request, token):
    """Every problem of a staged file as a spreadsheet, for long lists."""
    staged, school = _staged_or_gone(request, token)
    if staged is None:
        return _gone(request)
    try:
        plan = service.analyse(staged["path"], school, staged["file_name"], user=request.user)
    except ImportFileError as exc:
        return _preview_page(request, staged, school, file_error=str(exc), status=400)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Ошибки")
    ws.append(["Строка", "Столбец", "Значение", "Что не так"])
    for problem in plan.problems:
        ws.append([problem.row, neutralise(problem.column), neutralise(problem.value), neutralise(problem.message)])
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    base = os.path.splitext(staged["file_name"])[0] or "import"
    response["Content-Disposition"] = _attachment(f"ошибки — {base}.xlsx")
    wb.save(response)
    personal_data.record_download(request, f"Ошибки файла загрузки штата «{staged['file_name']}»",
                                  rows=len(plan.problems))
    return response


@require_http_methods(["GET"])
@importers_only
def import_template(request):
    response = HttpResponse(build_template(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = _attachment("шаблон загрузки штата.xlsx")
    personal_data.record_download(request, "Шаблон загрузки штата")
    return response


@require_http_methods(["GET"])
@importers_only
def import_log(request, pk):
    log = scoping.get_scoped_object_or_404(request.user, ImportLog.objects.select_related("user", "school"), pk=pk)
    return render(request, "teachers/import/log.html", {"log": log, "details": log.details or {}})


def _attachment(file_name):
    return f"attachment; filename=\"import.xlsx\"; filename*=UTF-8''{quote(file_name)}"
