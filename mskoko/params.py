"""Query parameters read strictly: a malformed value is the client's mistake (400 with a Russian message),
never a 500 from deep inside the ORM (an id too large for the database, a year `date()` cannot hold)."""
from django.core.exceptions import BadRequest

MAX_ID = 2**63 - 1  # the largest primary key PostgreSQL's bigint and SQLite's integer can hold
MIN_YEAR, MAX_YEAR = 1900, 2100


class BadParameter(BadRequest):
    """Answered with 400 and this message (mskoko.views.bad_request)."""


def query_id(data, name, *, required=False):
    """A record number from `data[name]` (a QueryDict), None when absent."""
    raw = (data.get(name) or "").strip()
    if not raw:
        if required:
            raise BadParameter(f"Не указан параметр «{name}».")
        return None
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_ID:
        raise BadParameter(f"Параметр «{name}» должен быть номером записи (целым положительным числом), "
                           f"а не «{raw[:40]}».")
    return int(raw)


def query_year(data, name="year", default=None):
    raw = (data.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or not MIN_YEAR <= int(raw) <= MAX_YEAR:
        raise BadParameter(f"Параметр «{name}» должен быть годом от {MIN_YEAR} до {MAX_YEAR}, а не «{raw[:40]}».")
    return int(raw)
