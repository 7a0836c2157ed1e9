"""Pieces the kind declarations share: the person columns, choice lookups, typed readers."""
from teachers.models import DeficitArea

from ..columns import Column, person_columns
from ..lookups import Lookup, choice_lookup, reference_options
from ..values import BadValue, clean_text, parse_date, parse_decimal, parse_text

NUMBER = Column("number", "№ п/п", ("№", "N", "No", "№№", "Номер по порядку", "П/п"), ignored=True, width=6)


def people(slot="", whose=""):
    """The person columns of a record kind: ФИО (or three columns), birth date, СНИЛС; the birth date is not
    required when the row gives a СНИЛС."""
    columns = person_columns(slot, whose)
    birth = next(c for c in columns if c.key.endswith("birth_date"))
    result = []
    for column in columns:
        if column is birth:
            column = Column(column.key, column.header, column.aliases, width=column.width, kind="date",
                            note="дд.мм.гггг; можно не заполнять, если указан СНИЛС", example=column.example)
        result.append(column)
    return result


def choices(what, choices_list, aliases=None):
    return choice_lookup(what, choices_list, aliases or {})


def text(max_length):
    return lambda value: parse_text(value, max_length=max_length)


def a_date(today):
    return lambda value: parse_date(value, today=today)


def hours(value):
    number = parse_decimal(value, places=0, minimum=1, maximum=3000, units=("ч", "час", "часа", "часов", "ак ч"))
    return int(number) if number is not None else None


def yes_no(value):
    text_value = clean_text(value).lower().strip(" .")
    if not text_value:
        return None
    if text_value in ("да", "+", "1", "есть", "предоставляется", "true"):
        return True
    if text_value in ("нет", "-", "0", "не предоставляется", "false"):
        return False
    raise BadValue("укажите «да» или «нет»")


DEFICIT_ALIASES = {
    "предметные дефициты": "subject", "предметная": "subject", "предметный": "subject",
    "методическая": "methodical", "методические дефициты": "methodical",
    "психолого-педагогическая": "psych-ped", "психолого педагогические": "psych-ped",
    "коммуникативная": "communicative", "цифровые": "digital", "икт": "digital", "икт-компетенции": "digital",
    "цифровая грамотность": "digital", "функциональная грамотность": "assessment", "оценочная": "assessment",
    "оценивание": "assessment", "воспитательная": "upbringing", "воспитание": "upbringing",
    "нормативно-правовая": "legal", "правовые": "legal",
}
NO_DEFICITS = {"нет", "не выявлены", "не выявлено", "отсутствуют", "-", "—"}


def deficit_lookup():
    return Lookup("Области дефицитов", reference_options(DeficitArea), DEFICIT_ALIASES)


def many(lookup, value):
    """«методические; ИКТ, предметные» → [objects]; «нет» → []; every unknown name reported at once."""
    text_value = clean_text(value)
    if not text_value or text_value.lower() in NO_DEFICITS:
        return []
    import re

    found, bad = [], []
    for part in re.split(r"[,;\n]+", text_value):
        part = part.strip()
        if not part:
            continue
        try:
            obj = lookup(part)
        except BadValue as exc:
            bad.append(f"«{part}» — {exc}")
            continue
        if obj not in found:
            found.append(obj)
    if bad:
        raise BadValue("; ".join(bad))
    return found
