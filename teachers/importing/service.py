"""The two named actions of the staff import — analyse a file, apply it — and the staged upload between them.

An uploaded file is kept under MEDIA_ROOT/imports/<token>.xlsx from the
preview until it is applied or cancelled; the token lives in the uploader's
session together with the school and the user id, so only the uploader can
apply it. Files older than IMPORT_STAGED_FILE_HOURS are removed whenever
someone uploads.
"""
import logging
import os
import re
import secrets
import time
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from teachers.models import ImportLog, Municipality, School

from .applier import write_plan
from .lookups import References
from .matcher import Matcher
from .reader import ImportFileError, check_upload_size, read_workbook
from .rows import RowParser

logger = logging.getLogger(__name__)

SESSION_KEY = "staff_imports"
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
MAX_STAGED_PER_SESSION = 5
DETAIL_LIMIT = 1000


class ImportRejected(Exception):
    """The file has problems: nothing was written. `plan` says what is wrong."""

    def __init__(self, plan):
        super().__init__(f"{len(plan.problems)} problems")
        self.plan = plan


def analyse_kind(kind, path, target, file_name="", today=None, user=None):
    """Read and check a file of any kind (see `kinds`) against the database: its plan (ImportFileError for
    unreadable files). With `user`, the access rules apply row by row."""
    sheet = read_workbook(path, file_name, kind.columns)
    return kind.analyse(sheet, target, user=user, today=today)


def apply_kind(kind, path, target, user, file_name, today=None):
    """Re-check a file of any kind and write it, all or nothing; the ImportLog (ImportRejected on problems)."""
    if kind.staff:
        return apply_import(path, target, user, file_name, today=today)
    started = time.perf_counter()
    with transaction.atomic():
        if target is not None and getattr(target, "pk", None):
            # One import into the same campaign / event / association / school at a time.
            type(target).objects.select_for_update().filter(pk=target.pk).first()
        elif user is not None:
            # Nothing chosen to import into (mentorship pairs, the district's vacancies by their «ОО» column): one
            # such import per municipality at a time, so two files with the same rows do not both create them.
            from teachers import scoping

            list(Municipality.objects.select_for_update().filter(
                pk__in=scoping.municipalities_for(user).values("pk")).order_by("pk").values_list("pk", flat=True))
        plan = analyse_kind(kind, path, target, file_name, today=today, user=user)
        if not plan.ok:
            raise ImportRejected(plan)
        kind.write(plan, user, f"Импорт XLSX: {file_name}")
        counts = plan.counts()
        school = kind.log_school(target, user)
        log = ImportLog.objects.create(
            user=user, kind=kind.code, target_name=kind.target_text(target)[:400], school=school,
            school_name=str(school) if school else "", file_name=file_name[:255], rows=counts["rows"],
            records_created=counts["created"], records_updated=counts["updated"],
            rows_unchanged=counts["rows_unchanged"], seconds=round(time.perf_counter() - started, 2),
            details=_record_details(plan, counts),
        )
    return log


def _record_details(plan, counts):
    changed = [o for o in plan.outcomes() if not o["unchanged"]]
    items = [{
        "row": o["row"], "name": o["name"], "what": o["what"], "action": o["action"],
        "changes": [[c.label, c.old, c.new] for c in o["changes"]],
    } for o in changed[:DETAIL_LIMIT]]
    extra = {k: v for k, v in counts.items() if k not in ("rows", "created", "updated", "rows_unchanged",
                                                          "problems", "rows_with_problems")}
    return {"changed": items, "changed_total": len(changed), "extra": extra}


def analyse(path, school, file_name="", today=None, user=None):
    """Read and check a file against the database: an ImportPlan (raises ImportFileError for unreadable files).

    With `user`, the access rules for people outside the user's scope apply (see `matcher`)."""
    sheet = read_workbook(path, file_name)
    parser = RowParser(sheet, References(), today=today)
    rows = parser.parse_all()
    return Matcher(school, parser, today=today, user=user).plan(rows)


def apply_import(path, school, user, file_name, today=None):
    """Re-check the file and write it, all or nothing. Returns the ImportLog; raises ImportRejected on problems."""
    started = time.perf_counter()
    with transaction.atomic():
        # One import per school at a time: a second one waits and then sees the first one's rows.
        School.objects.select_for_update().filter(pk=school.pk).first()
        plan = analyse(path, school, file_name, today=today, user=user)
        if not plan.ok:
            raise ImportRejected(plan)
        write_plan(plan, user, f"Импорт XLSX: {file_name}")
        counts = plan.counts()
        log = ImportLog.objects.create(
            user=user, kind="staff", target_name=str(school)[:400], school=school, school_name=str(school), file_name=file_name[:255], rows=counts["rows"],
            teachers_created=counts["teachers_created"], teachers_updated=counts["teachers_updated"],
            appointments_created=counts["appointments_created"],
            appointments_updated=counts["appointments_updated"], rows_unchanged=counts["rows_unchanged"],
            seconds=round(time.perf_counter() - started, 2), details=_details(plan),
        )
    return log


def _details(plan):
    """What the result page lists: every changed row (up to DETAIL_LIMIT) with its field changes."""
    changed = [o for o in plan.outcomes() if not o["unchanged"]]
    items = []
    for outcome in changed[:DETAIL_LIMIT]:
        items.append({
            "row": outcome["row"], "name": outcome["name"], "position": outcome["position"],
            "teacher": outcome["teacher_action"], "appointment": outcome["appointment_action"],
            "changes": [[c.label, c.old, c.new] for c in outcome["teacher_changes"] + outcome["appointment_changes"]],
        })
    return {"changed": items, "changed_total": len(changed)}


# -- staged uploads ------------------------------------------------------------------------------------------


def staging_dir():
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def staged_path(token):
    if not TOKEN_RE.match(token or ""):
        return None
    return staging_dir() / f"{token}.xlsx"


def stage_upload(request, uploaded, school, kind="staff"):
    """Save an uploaded file under a fresh token and remember it in the session; returns the token."""
    check_upload_size(uploaded.size)
    purge_stale_uploads()
    token = secrets.token_urlsafe(24)
    path = staged_path(token)
    with open(path, "wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    staged = dict(request.session.get(SESSION_KEY, {}))
    staged[token] = {
        "file_name": os.path.basename(uploaded.name or "файл.xlsx")[:200],
        "school": school.pk if kind == "staff" else None,
        "kind": kind,
        "target": school.pk if school is not None else None,
        "user": request.user.pk,
        "uploaded": date.today().isoformat(),
        "at": time.time(),
    }
    for old in sorted(staged, key=lambda t: staged[t]["at"])[:-MAX_STAGED_PER_SESSION]:
        discard(request, old, staged)
    request.session[SESSION_KEY] = staged
    return token


def staged_upload(request, token):
    """The session's record of a staged file, or None when it is not this user's, expired or already used."""
    info = request.session.get(SESSION_KEY, {}).get(token)
    path = staged_path(token)
    if not info or path is None or info.get("user") != request.user.pk or not path.exists():
        return None
    return {**info, "path": path, "token": token}


def claim(token):
    """Take a staged file for applying: it is renamed (atomically) to `<token>.applying`, so a second apply of the
    same token — a double click, a second tab — finds it gone instead of writing the file again or failing on a
    file the first one removed. The claimed path, or None when the file is no longer there."""
    path = staged_path(token)
    if path is None:
        return None
    claimed = path.with_suffix(".applying")
    try:
        os.rename(path, claimed)
    except FileNotFoundError:
        return None
    return claimed


def release(token):
    """Give a claimed file back (the apply wrote nothing: problems or a database error) for another try."""
    path = staged_path(token)
    if path is not None:
        try:
            os.rename(path.with_suffix(".applying"), path)
        except FileNotFoundError:
            pass


def discard(request, token, staged=None):
    """Forget a staged file of this session and delete it; another session's token is left alone."""
    in_session = staged if staged is not None else dict(request.session.get(SESSION_KEY, {}))
    info = in_session.get(token)
    if not info or info.get("user") != request.user.pk:
        return
    in_session.pop(token, None)
    if staged is None:
        request.session[SESSION_KEY] = in_session
    path = staged_path(token)
    if path is not None:
        for one in (path, path.with_suffix(".applying")):
            try:
                one.unlink()
            except FileNotFoundError:
                pass


def purge_stale_uploads(now=None):
    """Remove staged files older than IMPORT_STAGED_FILE_HOURS; returns how many were removed."""
    limit = (now or time.time()) - settings.IMPORT_STAGED_FILE_HOURS * 3600
    removed = 0
    for path in [*staging_dir().glob("*.xlsx"), *staging_dir().glob("*.applying")]:
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


__all__ = [
    "ImportFileError", "ImportRejected", "analyse", "analyse_kind", "apply_import", "apply_kind", "claim", "discard", "purge_stale_uploads",
    "release", "stage_upload", "staged_upload",
]
