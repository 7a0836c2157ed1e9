"""Turning what people type into spreadsheet cells into values, with Russian reasons when that fails.

Each parser takes the raw cell value as openpyxl gives it (str, int, float,
datetime, bool or None) and returns the clean value, or raises `BadValue` with
the reason shown after the dash in "строка 14, «Дата рождения»: 31.02.1980 — нет
такой даты".
"""
import re
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from teachers.models.staff import normalize_snils, snils_checksum_ok

# Excel's day 1 is 1900-01-01 and it counts a 29 Feb 1900 that never was; serials from 61 on
# are days since 1899-12-30.
EXCEL_EPOCH = date(1899, 12, 30)
# A bare number in a date column is taken for an Excel serial only in this window
# (1927–2119): 1980 or 17051980 typed as numbers are not silently turned into dates.
EXCEL_SERIAL_RANGE = (10_000, 80_000)
EARLIEST_DATE = date(1900, 1, 1)

MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "мая": 5, "июн": 6, "июл": 7, "август": 8,
    "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}
# Longest stem first: «март» before «ма» (мая / май).
MONTH_STEMS = sorted(MONTHS.items(), key=lambda kv: -len(kv[0]))

_DATE_NUMERIC = re.compile(r"^(\d{1,2})\s*[./\-]\s*(\d{1,2})\s*[./\-]\s*(\d{2}|\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATE_WORDS = re.compile(r"^(\d{1,2})\s+([а-яё]+)\.?\s+(\d{4})$")
_TRAILING_TIME = re.compile(r"\s+\d{1,2}:\d{2}(:\d{2})?$")
_TRAILING_YEAR_WORD = re.compile(r"\s*(г\.?|года?)$")
_NAME_OK = re.compile(r"^[A-Za-zА-Яа-яЁё][A-Za-zА-Яа-яЁё\-' .]*$")
_PHONE_OK = re.compile(r"^[\d\s()+\-.,доб]+$")
_NUMBER_TEXT = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)\s*([а-яa-z./ ]*)$")
_email_validator = EmailValidator()


class BadValue(ValueError):
    """A cell that cannot be read; the message is the Russian reason."""


def cell_reader(cells, problem):
    """`read(key, parser)` for one row: the parsed value of column `key` (None when the file has no such column),
    a `BadValue` reported through `problem(key, message)` as None — how every kind's rows read their cells."""
    def read(key, parser):
        if key not in cells:
            return None
        try:
            return parser(cells[key])
        except BadValue as exc:
            problem(key, str(exc))
            return None

    return read


def clean_text(value):
    """A cell as text with surrounding and repeated whitespace removed ('' for empty)."""
    if value is None:
        return ""
    if type(value) is str:  # the common case first: 200,000 cells in a large file
        if "\u200b" in value:
            value = value.replace("\u200b", "")
        return " ".join(value.split())
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == time(0) else value
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return " ".join(str(value).replace("\u200b", "").split())


def is_empty(value):
    return clean_text(value) in ("", "-", "—", "–")


def display(value, limit=60):
    """How a cell's content is quoted back in an error message."""
    text = clean_text(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text or "(пусто)"


def norm_key(text):
    """Comparison key for names and reference values: case, «ё», spaces and dots do not matter."""
    text = clean_text(text).lower().replace("ё", "е")
    text = re.sub(r"\s*-\s*", "-", text)
    return text


def reject_formula(text):
    if text.startswith("="):
        raise BadValue("похоже на формулу; введите само значение, а не формулу")
    return text


def parse_text(value, *, max_length):
    text = reject_formula(clean_text(value))
    if len(text) > max_length:
        raise BadValue(f"слишком длинно (больше {max_length} символов)")
    return text


def capitalise_name(part):
    """«иванова» / «ИВАНОВА» → «Иванова» (also «петрова-водкина» → «Петрова-Водкина»); mixed case is kept."""
    if part.islower() or part.isupper():
        return "-".join(p[:1].upper() + p[1:].lower() for p in part.split("-"))
    return part


def parse_name_part(value, *, what, max_length=100):
    text = parse_text(value, max_length=max_length)
    text = re.sub(r"\s*-\s*", "-", text)
    if not text:
        return ""
    if any(ch.isdigit() for ch in text):
        raise BadValue(f"{what} не может содержать цифры")
    if not _NAME_OK.match(text):
        raise BadValue(f"{what} может содержать только буквы, дефис и апостроф")
    return " ".join(capitalise_name(p) for p in text.split(" "))


def split_fio(value):
    """«Иванова Мария Петровна» → ('Иванова', 'Мария', 'Петровна'); a patronymic may be several words."""
    text = parse_text(value, max_length=300)
    if not text:
        return "", "", ""
    parts = text.replace(",", " ").split()
    if len(parts) < 2:
        raise BadValue("нужны хотя бы фамилия и имя через пробел")
    last = parse_name_part(parts[0], what="фамилия")
    first = parse_name_part(parts[1], what="имя")
    middle = parse_name_part(" ".join(parts[2:]), what="отчество") if len(parts) > 2 else ""
    return last, first, middle


def _two_digit_year(yy, today):
    year = 2000 + yy
    return year if year <= today.year else 1900 + yy


def parse_date(value, *, today=None):
    """A date from a real Excel date, an Excel serial number or text: 17.05.1980, 17.5.80, 1980-05-17, 17 мая 1980."""
    today = today or date.today()
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise BadValue("не похоже на дату; введите дд.мм.гггг")
    if isinstance(value, (int, float)):
        if EXCEL_SERIAL_RANGE[0] <= value <= EXCEL_SERIAL_RANGE[1]:
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise BadValue("не похоже на дату; введите дд.мм.гггг")
    text = clean_text(value).lower()
    if not text:
        return None
    reject_formula(text)
    text = _TRAILING_TIME.sub("", text)
    text = _TRAILING_YEAR_WORD.sub("", text).strip()
    match = _DATE_NUMERIC.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        if len(match.group(3)) == 2:
            year = _two_digit_year(year, today)
    elif match := _DATE_ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DATE_WORDS.match(text):
        day, year = int(match.group(1)), int(match.group(3))
        word = match.group(2).replace("ё", "е")
        month = next((n for stem, n in MONTH_STEMS if word.startswith(stem)), None)
        if month is None:
            raise BadValue("не похоже на дату; введите дд.мм.гггг")
    elif re.fullmatch(r"\d{4}", text):
        raise BadValue("указан только год; введите полную дату дд.мм.гггг")
    else:
        raise BadValue("не похоже на дату; введите дд.мм.гггг")
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise BadValue("нет такой даты") from None
    if parsed < EARLIEST_DATE:
        raise BadValue("слишком ранняя дата; проверьте год")
    return parsed


def parse_decimal(value, *, places, minimum, maximum, units=()):
    """A number typed as 18, «18,5», «18 ч», «0.5 ст.»; rounded to `places` decimals."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise BadValue("нужно число")
    if isinstance(value, (int, float)):
        number = Decimal(str(value))
    else:
        text = clean_text(value).lower()
        if not text:
            return None
        reject_formula(text)
        match = _NUMBER_TEXT.match(text)
        if not match or (match.group(2).strip(" .") and match.group(2).strip(" .") not in units):
            raise BadValue("нужно число, например 18 или 0,5")
        try:
            number = Decimal(match.group(1).replace(",", "."))
        except InvalidOperation:
            raise BadValue("нужно число, например 18 или 0,5") from None
    number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if number < minimum or number > maximum:
        raise BadValue(f"должно быть от {_number_text(minimum)} до {_number_text(maximum)}")
    return number


def _number_text(value):
    return format(Decimal(value).normalize(), "f").replace(".", ",")


def parse_snils(value):
    """11 digits with a valid control sum; a number cell that lost its leading zeros is padded back."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            raise BadValue("СНИЛС должен содержать 11 цифр")
        digits = str(int(value)).zfill(11)
    else:
        text = reject_formula(clean_text(value))
        if not text:
            return ""
        if re.search(r"[^\d\s\-]", text):
            raise BadValue("СНИЛС может содержать только цифры, пробелы и дефисы")
        digits = normalize_snils(text)
    if len(digits) != 11:
        raise BadValue(f"СНИЛС должен содержать 11 цифр, а здесь {len(digits)}")
    if not snils_checksum_ok(digits):
        raise BadValue("неверная контрольная сумма СНИЛС — проверьте номер")
    return digits


def parse_email(value):
    text = parse_text(value, max_length=254)
    if not text:
        return ""
    try:
        _email_validator(text)
    except ValidationError:
        raise BadValue("неверный адрес электронной почты") from None
    return text.lower()


def parse_phone(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(int(value)) if float(value).is_integer() else str(value)
    text = parse_text(value, max_length=40)
    if not text:
        return ""
    if not _PHONE_OK.match(text.lower()) or len(re.sub(r"\D", "", text)) < 5:
        raise BadValue("не похоже на номер телефона")
    return text
