"""The indicator engine.

    from indicators.engine import Period, compute, explain
    result = compute(Period.calendar_year(2025), user=request.user)
    cell = result.get("D1", "municipality", municipality.pk)
    cell.value, cell.numerator, cell.denominator, cell.display, cell.spread

Rules (DESIGN §3):
* staff are counted as of the period's end (`Appointment.objects.active_on`);
  a person counts once per school however many positions they hold there;
* the catalogue says whether external part-timers count (`Indicator.staff`);
* cluster, municipality and region values are pooled, Σnumerator / Σdenominator,
  with the spread (min, median, max) of the school values beside them;
* a zero denominator gives `value=None`, shown as «нет данных»;
* definitions are those valid in the period's year.

How: every indicator has a *measure* (`MEASURES`, `measure_for`): the SQL columns it sums per school, how it
reads them into per-school numerators, denominators (and bands), and the people an explanation lists. A share or
a count of populations (indicators.populations) is a measure made from the catalogue's expressions; the others
(vacancies, loads, ages, bands, school measures) are declared once below with `measure(...)`. Every cell at every
level is built by one function (`_build_cells`): whole numbers pooled by summing, one rounding (`_units`, exact
half-up in integer arithmetic), one spread (`_spread`: min / median / max of the school values).

Queries: five whatever the number of schools or teachers — the catalogue; the schools with their open vacancies
and mentorship-model flag; education levels; one grouped aggregate per staff basis (one row per person and
school, their facts from each source table as flags, every measure's columns a SUM); targets.

Speed devices, each kept only where the bench (`make bench`, `manage.py bench --only indicators`) showed it pays:
* the grouped statement's text is memoised per schools and period (`_aggregate_sql`, `_schools_sql`): building it
  with the ORM was ~30 ms of a district's ~70 ms uncached computation;
* the narrow plan (source tables filtered to the staff asked for) only while the schools are few —
  `NARROW_SHARE` of the active ones: it is 7× cheaper for one municipality of 44 (27 schools: 39 ms narrow,
  274 ms whole) but grows faster than reading the tables whole and crosses it at 130–150 schools (150: 795 /
  696 ms). The old switch (narrow below half the schools) ran it up to 763 schools, so 20 municipalities cost
  3.1 s and the whole region 1.1 s;
* a per-process memo of finished results in front of the shared cache (`_MEMO`), keyed like the cache by the
  data version: a cached region result answers in 7–9 ms; the shared cache (another process) holds a result's
  per-school facts — 0.5 MB for the region instead of 4.4 MB of pickled cells — and the cells are built per
  indicator when first read (`Cells`): reading the facts back costs a few tens of ms for the region, building
  every cell ~110 ms more (was 250–400 ms of unpickling, all cells at once).
Removed because the bench showed no gain worth their settings and PostgreSQL-only code: prepared statements
(−9 ms of ~70 ms at district, nothing at region; absorbed by the result cache) and the pause of the garbage
collector (≤ 3 %, within the noise, at both scales).
"""
import hashlib
import threading
from collections import OrderedDict, defaultdict, namedtuple
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache, reduce
from operator import or_
from collections.abc import Callable
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BooleanField, Case, Count, Exists, F, Func, IntegerField, Max, OuterRef, Q, Subquery, Sum, Value, When,
)
from django.db.models.functions import ExtractYear

from teachers.dates import add_years, birthday_cutoff, years_before
from teachers.models import Appointment, EducationLevel, MentorshipModelAdoption, School, Teacher, Vacancy
from teachers.models.qualification import education_on
from teachers.models.staff import Employment
from teachers.scoping import is_school_head, schools_for

from . import freshness, populations
from .models import Indicator, Target

LEVELS = ("school", "cluster", "municipality", "region")
LEVEL_NAMES = {"school": "ОО", "cluster": "кластер", "municipality": "муниципалитет", "region": "регион"}
NO_DATA = "нет данных"

# ОО-1, раздел 3: pedagogical experience bands (upper bounds exclusive, full years) and age bands.
EXPERIENCE_BANDS = [("до 3 лет", 0, 3), ("от 3 до 5 лет", 3, 5), ("от 5 до 10 лет", 5, 10), ("от 10 до 15 лет", 10, 15),
                    ("от 15 до 20 лет", 15, 20), ("20 лет и более", 20, None)]
NO_EXPERIENCE = "нет педагогического стажа"
AGE_BANDS = [("моложе 25 лет", None, 25), ("25–29", 25, 30), ("30–34", 30, 35), ("35–39", 35, 40), ("40–44", 40, 45),
             ("45–49", 45, 50), ("50–54", 50, 55), ("55–59", 55, 60), ("60–64", 60, 65), ("65 и старше", 65, None)]
AGE_GROUPS = [("до 35 лет", None, 36), ("36–60 лет", 36, 61), ("61 год и старше", 61, None)]
NO_EDUCATION_LEVEL = "не указано"

MONTHS_TO = {1: "январь–март", 2: "январь–июнь", 3: "январь–сентябрь", 4: "январь–декабрь"}


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    kind: str
    year: int
    label: str

    @classmethod
    def calendar_year(cls, year):
        return cls(date(year, 1, 1), date(year, 12, 31), "year", year, f"{year} год")

    @classmethod
    def school_year(cls, year):
        return cls(date(year, 9, 1), date(year + 1, 8, 31), "school_year", year, f"{year}/{year + 1} учебный год")

    @classmethod
    def quarter(cls, year, quarter):
        """A quarterly report's period: from 1 January to the quarter's end (нарастающим итогом), as a school's
        quarterly report accumulates the year — «за 4 квартал» counts the diagnostics, courses and events of the
        whole year, not only of October–December; staff are counted on the quarter's last day."""
        if quarter not in (1, 2, 3, 4):
            raise ValueError("quarter must be 1..4")
        end = (date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)) - timedelta(days=1)
        months = MONTHS_TO[quarter]
        return cls(date(year, 1, 1), end, "quarter", year, f"{quarter} квартал {year} г. ({months})")

    @property
    def quarter_number(self):
        return (self.end.month + 2) // 3

    @property
    def semantics(self):
        """What the period's numbers count, in Russian, shown next to them."""
        return (f"Численность педагогов — на {self.end:%d.%m.%Y}; диагностика, курсы, мероприятия и ИОМ — "
                f"с {self.start:%d.%m.%Y} по {self.end:%d.%m.%Y}; наставничество и участие в объединениях — "
                f"действовавшие в этот период; «оба наставника» — школьный и муниципальный в один и тот же день.")

    @classmethod
    def as_of(cls, on):
        """The calendar year up to `on`: staff as of `on`, activity since 1 January."""
        return cls(date(on.year, 1, 1), on, "as_of", on.year, f"на {on:%d.%m.%Y}")

    @classmethod
    def parse(cls, text):
        """'2025', 'sy2025', '2025q3', '2025-11-20' → Period; ValueError with a Russian message otherwise."""
        text = (text or "").strip().lower()
        try:
            if not text.isascii() or len(text) > 12:
                raise ValueError(text)
            if text.startswith("sy"):
                period = cls.school_year(int(text[2:]))
            elif "q" in text:
                year, quarter = text.split("q")
                period = cls.quarter(int(year), int(quarter))
            elif "-" in text:
                period = cls.as_of(date.fromisoformat(text))
            else:
                period = cls.calendar_year(int(text))
            if not 1900 <= period.year <= 2100:
                raise ValueError(text)
        except (ValueError, TypeError, OverflowError):
            raise ValueError(f"Не удалось разобрать период «{text[:40]}»: ожидается год (2025), учебный год "
                             "(sy2025), квартал (2025q3) или дата (2025-11-20).") from None
        return period

    @property
    def key(self):
        if self.kind == "year":
            return str(self.year)
        if self.kind == "school_year":
            return f"sy{self.year}"
        if self.kind == "quarter":
            return f"{self.year}q{self.quarter_number}"
        return self.end.isoformat()

    def previous_year(self):
        if self.kind == "year":
            return Period.calendar_year(self.year - 1)
        if self.kind == "school_year":
            return Period.school_year(self.year - 1)
        if self.kind == "quarter":
            return Period.quarter(self.year - 1, self.quarter_number)
        return Period.as_of(add_years(self.end, -1))




def _units(numerator, denominator, factor, places):
    """numerator × factor / denominator rounded half up to `places` decimals, as a whole number of 10^-places
    (denominator > 0, numerator ≥ 0). Exact for whole counts and Decimal sums alike: rational arithmetic."""
    if isinstance(numerator, int):
        n, d = numerator, denominator
    else:
        n, d = Decimal(numerator).as_integer_ratio()
        d *= denominator
    n *= factor * 10 ** places
    return (2 * n + d) // (2 * d)


@lru_cache(maxsize=1 << 14)
def _number(units, places):
    """A whole number of 10^-places as the value shown: an int for places 0, else a Decimal with that many
    decimals (immutable, so shared)."""
    return units if places == 0 else Decimal(units).scaleb(-places)


def percent(numerator, denominator):
    """numerator / denominator × 100 to one decimal, halves up; exact for whole counts (integer arithmetic)."""
    if not denominator:
        return None
    if isinstance(numerator, int) and isinstance(denominator, int) and numerator >= 0 and denominator > 0:
        return _number(_units(numerator, denominator, 100, 1), 1)
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)



def format_number(value, unit=""):
    """Russian display: '45,3 %', '812', '47,1 лет'; None → «нет данных»."""
    if value is None:
        return NO_DATA
    if isinstance(value, Decimal):
        # Shares and means carry their precision (one decimal; ставки two).
        text = (f"{value:f}" if value.as_tuple().exponent < 0 else f"{value:.1f}").replace(".", ",")
    else:
        text = f"{value:,}".replace(",", "\u00a0")
    if unit == "%":
        return f"{text}\u00a0%"
    return f"{text}\u00a0{unit}" if unit else text


@dataclass(slots=True)
class Cell:
    """One indicator for one entity."""

    kind: str
    unit: str
    numerator: int | None = None
    denominator: int | None = None
    value: Decimal | int | None = None
    spread: tuple | None = None  # (min, median, max) of school values, aggregate levels only
    bands: list | tuple = ()  # [(label, count)] for distributions

    @property
    def display(self):
        return format_number(self.value, self.unit)

    @property
    def spread_display(self):
        if not self.spread:
            return ""
        return " / ".join(format_number(v, self.unit) for v in self.spread)


@dataclass
class Entity:
    level: str
    key: object
    name: str
    cluster_id: int | None = None
    municipality_id: int | None = None
    school_ids: tuple = ()



class Cells(Mapping):
    """(code, level, key) → Cell, each indicator's cells built on the first reading of any of them: a page that
    reads a few indicators of a cached region result does not pay for building all 46,000 cells (a reading of
    everything — iteration, len — builds the rest). Safe to read from several threads: an indicator is marked
    built only after its cells are in."""

    __slots__ = ("_data", "_pending", "_lock")

    def __init__(self, pending):
        self._data = {}
        self._pending = pending  # {code: [arguments of _build_cells after `cells`]}
        self._lock = threading.Lock()

    def _fill(self, code):
        if code in self._pending:
            with self._lock:
                for arguments in self._pending.get(code, ()):
                    _build_cells(self._data, *arguments)
                self._pending.pop(code, None)

    def _fill_all(self):
        for code in list(self._pending):
            self._fill(code)

    def __getitem__(self, key):
        self._fill(key[0])
        return self._data[key]

    def get(self, key, default=None):
        self._fill(key[0])
        return self._data.get(key, default)

    def __contains__(self, key):
        self._fill(key[0])
        return key in self._data

    def __iter__(self):
        self._fill_all()
        return iter(self._data)

    def __len__(self):
        self._fill_all()
        return len(self._data)


@dataclass
class Result:
    period: Period
    indicators: list
    entities: dict  # level -> [Entity]
    cells: Mapping  # (code, level, key) -> Cell: `Cells` (built per indicator on reading) or a dict
    targets: dict  # (code, municipality_id, cluster_id|None) -> Decimal
    # What the cells were built from, [(indicator, places, (numerators, denominators, bands))] per school: the
    # shared cache stores these lists of numbers rather than 50,000 cell objects, and rebuilds the cells on reading.
    facts: list | None = dataclass_field(default=None, repr=False, compare=False)

    def __reduce__(self):
        if self.facts is None:
            return super().__reduce__()
        return _result_from_facts, (self.period, self.indicators, self.entities, self.targets, self.facts)

    def get(self, code, level, key):
        return self.cells.get((code, level, key))

    def indicator(self, code):
        return next((i for i in self.indicators if i.code == code), None)

    def target(self, code, municipality_id, cluster_id=None):
        """Cluster target if set, else the district's."""
        if cluster_id is not None and (code, municipality_id, cluster_id) in self.targets:
            return self.targets[(code, municipality_id, cluster_id)]
        return self.targets.get((code, municipality_id, None))

    def entity(self, level, key):
        return next((e for e in self.entities.get(level, []) if e.key == key), None)


def indicators_for(year, codes=None):
    """The catalogue valid in `year`: for each code the newest version that applies."""
    qs = Indicator.objects.valid_in(year).select_related("direction").order_by("order", "code", "-valid_from")
    if codes:
        qs = qs.filter(code__in=codes)
    chosen = {}
    for ind in qs:
        chosen.setdefault(ind.code, ind)
    return list(chosen.values())


class SchoolList(list):
    """Schools named by id (`compute(schools=...)`)."""


def _scope_schools(user, schools=None):
    """Schools whose numbers feed the aggregates (a queryset, or a SchoolList of ids), and those whose own rows
    the user may see. A head's rows are their own school's also when the caller names the schools."""
    if schools is not None:
        named = SchoolList(s.pk if hasattr(s, "pk") else s for s in schools)
        if user is not None and is_school_head(user):
            return named, set(schools_for(user).values_list("pk", flat=True))
        return named, None
    if user is None:
        return School.objects.all(), None
    visible = schools_for(user)
    if is_school_head(user):
        # A head sees their school's row and the aggregates of their municipality and cluster.
        municipality_id = user.school.municipality_id
        return School.objects.filter(municipality_id=municipality_id), set(visible.values_list("pk", flat=True))
    return visible, None


def _age_expression(on, prefix="teacher__"):
    """Full years at `on` in SQL, by the rule of teachers.dates (29 February is reached on 28 February)."""
    birth = f"{prefix}birth_date"
    month, day = birthday_cutoff(on)
    not_yet = Q(**{f"{birth}__month__gt": month}) | Q(**{f"{birth}__month": month, f"{birth}__day__gt": day})
    return (Value(on.year) - ExtractYear(birth)
            - Case(When(not_yet, then=Value(1)), default=Value(0), output_field=IntegerField()))


def person_rows(period, school_ids, basis):
    """Active appointments at the period's end, one row per (school, person)."""
    base = Appointment.objects.active_on(period.end).filter(school_id__in=school_ids)
    if basis == Indicator.Staff.MAIN:
        base = base.filter(employment=Employment.MAIN)
    earlier = Appointment.objects.active_on(period.end).filter(
        teacher_id=OuterRef("teacher_id"), school_id=OuterRef("school_id"), pk__lt=OuterRef("pk"))
    if basis == Indicator.Staff.MAIN:
        earlier = earlier.filter(employment=Employment.MAIN)
    return base.filter(~Exists(earlier))




# An education level as the bands need it.
Level = namedtuple("Level", "pk name")

# A school as the engine needs it (a plain row: no model instances for 1,500 schools).
SchoolRow = namedtuple("SchoolRow", "id short_name municipality_id cluster_id municipality_name cluster_name")


# ---------------------------------------------------------------------------------------------------------------
# Measures: what an indicator sums per school, how the sums become its numerator and denominator, what explains it.

@dataclass(frozen=True)
class Measure:
    """One declaration of a measure.

    `sums(q)` → {name: SQL} summed per school over the staff rows of the grouped query, written with the
    `Query` helpers (`q.population`, `q.attribute`, `q.load`, `q.education_levels`); `read(school, cols)` →
    (numerators, denominators or None, bands or None), lists aligned with the school list, from `cols[name]`
    (those sums per school, 0 for a school without staff) and `school` (`Schools`: staff, vacancies, …); bands are
    (labels, [counts per school] per label). `explain(x)` → (numerator, denominator) items (`Explainer`).
    `places`: decimals of a mean."""

    name: str
    label: str
    kinds: tuple
    sums: Callable
    read: Callable
    explain: Callable
    places: int = 1
    subject: str = Indicator.Subject.TEACHERS
    missing: str | None = None  # a mean over the people with a recorded load: why the others are left out


MEASURES = {}  # (kind, name) -> Measure, the declared (non-population) measures of teachers
SCHOOL_MEASURES = {}  # name -> Measure, measures of schools (Indicator.Subject.SCHOOLS)


def measure(name, label, kinds, *, sums=lambda q: {}, read, explain, places=1, subject=Indicator.Subject.TEACHERS,
            missing=None):
    """Declare a measure usable as an indicator's numerator (its label is what the catalogue admin shows)."""
    m = Measure(name, label, tuple(kinds), sums, read, explain, places, subject, missing)
    if subject == Indicator.Subject.SCHOOLS:
        SCHOOL_MEASURES[name] = m
    else:
        MEASURES.update({(kind, name): m for kind in kinds})
        # What the catalogue's validation (populations.check_expression) and labels know.
        if set(kinds) - {Indicator.Kind.SHARE}:
            populations.MEASURES.setdefault(name, label)
        if Indicator.Kind.SHARE in kinds:
            populations.SHARE_MEASURES[name] = label
    return m


@lru_cache(maxsize=None)
def population_share(numerator, denominator):
    """Share of two population expressions (catalogue shares: D1 = diagnosed / staff …)."""
    return Measure(f"{numerator}/{denominator}", populations.label(numerator), (Indicator.Kind.SHARE,),
                   lambda q: {"num": q.count(numerator), "den": q.count(denominator)},
                   lambda s, c: (c["num"], c["den"], None),
                   lambda x: (x.pairs(numerator), x.pairs(denominator)))


@lru_cache(maxsize=None)
def population_count(expression):
    """Number of people in a population (K1: staff)."""
    return Measure(expression, populations.label(expression), (Indicator.Kind.COUNT,),
                   lambda q: {"n": q.count(expression)}, lambda s, c: (c["n"], None, None),
                   lambda x: (x.pairs(expression),) * 2)


NOTHING = Measure("", "", (), lambda q: {}, lambda s, c: (s.zeros, s.zeros, None), lambda x: ([], []))


def measure_for(ind):
    """The measure of an indicator definition."""
    if ind.subject == Indicator.Subject.SCHOOLS:
        return SCHOOL_MEASURES.get(ind.numerator, SCHOOL_MEASURES["schools"])
    named = MEASURES.get((ind.kind, ind.numerator))
    if named is not None:
        return named
    if any(name == ind.numerator for _, name in MEASURES):
        return NOTHING  # a measure of another kind (an age is no share)
    if ind.kind == Indicator.Kind.SHARE and ind.numerator and ind.denominator:
        return population_share(ind.numerator, ind.denominator)
    if ind.kind == Indicator.Kind.COUNT:
        return population_count(ind.numerator or "staff")
    return NOTHING


def _band_measure(name, label, bands, condition, other=None):
    """A distribution over bands of a person's attribute; `condition(q, low, high)` is the band's SQL; `other`
    (label, condition) adds a last band."""
    listed = [(band_label, low, high) for band_label, low, high in bands]
    labels = [band_label for band_label, _, _ in listed] + ([other[0]] if other else [])

    def sums(q):
        out = {str(i): condition(q, low, high) for i, (_, low, high) in enumerate(listed)}
        if other:
            out["other"] = other[1](q)
        return out

    def read(s, c):
        counts = [c[str(i)] for i in range(len(listed))] + ([c["other"]] if other else [])
        return s.staff, s.staff, (labels, counts)

    return measure(name, label, [Indicator.Kind.DISTRIBUTION], sums=sums, read=read,
                   explain=lambda x: (x.pairs("staff"),) * 2)


def _experience_band(q, low, high):
    return q.attribute(f"experience{low}", _flag(_between("ped_experience_start", q.period.end, low, high,
                                                          started=True)))


def _age_band(q, low, high):
    return q.attribute(f"age{low}-{high}", _flag(_between("birth_date", q.period.end, low, high)))


def _between(field, on, low, high, started=False):
    """The person's `field` date is `low` (inclusive) to `high` (exclusive) full years before `on`."""
    condition = Q(**{f"{field}__isnull": False, f"{field}__lte": on}) if started else Q()
    if low is not None:
        condition &= Q(**{f"{field}__lte": years_before(on, low)})
    if high is not None:
        condition &= Q(**{f"{field}__gt": years_before(on, high)})
    return condition


def _mean_of_load(column, label, places, missing):
    """Mean load per person with a recorded load: all their positions at the school summed."""
    return measure(
        column, label, [Indicator.Kind.MEAN], places=places, missing=missing,
        sums=lambda q: {"sum": q.load(f"{column}_sum", Sum(column)),
                        "n": q.load(f"{column}_n", Max(_flag(Q(**{f"{column}__isnull": False}))))},
        read=lambda s, c: ([_decimal(v) for v in c["sum"]], c["n"], None),
        explain=lambda x: (x.recorded(column),) * 2)


def _education_read(s, c):
    labels = [level.name for level in s.education_levels] + [NO_EDUCATION_LEVEL]
    counts = [c[f"level{level.pk}"] for level in s.education_levels]
    counts.append([staff - sum(known) for staff, *known in zip(s.staff, *counts)])
    return s.staff, s.staff, (labels, counts)


measure("open_vacancies", "открытые вакансии на дату", [Indicator.Kind.COUNT, Indicator.Kind.SHARE],
        read=lambda s, c: (s.vacancies, [n + v for n, v in zip(s.staff, s.vacancies)], None),
        explain=lambda x: (x.pairs("open_vacancies"), x.pairs("staff_and_vacancies")))
_mean_of_load("weekly_hours", "учебная нагрузка, ч/нед", 1, "нагрузка не указана")
_mean_of_load("rate", "ставка", 2, "ставка не указана")
measure("age", "возраст", [Indicator.Kind.MEAN],
        sums=lambda q: {"sum": q.attribute("age", _age_expression(q.period.end, prefix=""))},
        read=lambda s, c: (c["sum"], s.staff, None), explain=lambda x: (x.pairs("staff"),) * 2)
measure("education", "уровень образования", [Indicator.Kind.DISTRIBUTION],
        sums=lambda q: {f"level{level.pk}": f"CASE WHEN {q.attribute('education', education_on(q.period.end))} = "
                                            f"{int(level.pk)} THEN 1 ELSE 0 END" for level in q.education_levels},
        read=_education_read, explain=lambda x: (x.pairs("staff"),) * 2)
_band_measure("experience", "педагогический стаж", EXPERIENCE_BANDS, _experience_band,
              (NO_EXPERIENCE, lambda q: q.attribute("experience_none", _flag(
                  Q(ped_experience_start__isnull=True) | Q(ped_experience_start__gt=q.period.end)))))
_band_measure("age", "возраст", AGE_BANDS, _age_band)
_band_measure("age_groups", "возрастные группы", AGE_GROUPS, _age_band)
# A share's other side (K9: open vacancies / staff and vacancies); not a numerator of its own.
populations.SHARE_MEASURES["staff_and_vacancies"] = "потребность: педработники и открытые вакансии на дату"


def _staffed(s, counted):
    """A school measure: of the schools with staff on the date, those `counted` (list of 0/1)."""
    return [n if staff else 0 for n, staff in zip(counted, s.staff)], [1 if staff else 0 for staff in s.staff], None


measure("schools", "общеобразовательные организации (ОО)", [Indicator.Kind.SHARE],
        subject=Indicator.Subject.SCHOOLS, read=lambda s, c: _staffed(s, [1] * len(s.staff)),
        explain=lambda x: (x.staffed_schools(), x.staffed_schools()))
measure("mentorship_model", "ОО, реализующие целевую модель наставничества", [Indicator.Kind.SHARE],
        subject=Indicator.Subject.SCHOOLS, read=lambda s, c: _staffed(s, s.mentorship_model),
        explain=lambda x: (x.mentorship_schools(), x.staffed_schools()))
measure("network_school", "ОО, педагоги которых включены в сетевое взаимодействие", [Indicator.Kind.SHARE],
        subject=Indicator.Subject.SCHOOLS, sums=lambda q: {"members": q.count("network_member")},
        read=lambda s, c: _staffed(s, [1 if n > 0 else 0 for n in c["members"]]),
        explain=lambda x: (x.network_schools(), x.staffed_schools()))


def _decimal(value):
    """A SUM over a decimal column: Decimal on PostgreSQL, float or int on SQLite."""
    if value is None:
        return Decimal(0)
    if isinstance(value, Decimal):
        return value
    return Decimal(str(round(value, 2)))


# ---------------------------------------------------------------------------------------------------------------
# The grouped query.

class Query:
    """What the measures of one staff basis need from the grouped query, collected by name: populations (flags),
    per-person attributes (`t.*`), per-position loads summed per school and person (`a.*`), and the SUMs."""

    def __init__(self, period, education_levels):
        self.period, self.education_levels = period, education_levels
        self.populations, self.attributes, self.loads, self.sums = set(), {}, {}, {}

    def population(self, expression):
        """SQL condition: the person is in all the populations of `expression` (an attribute's flag is a column of
        the teacher row `t`, a fact's a column of its source's flags-per-person row `s_<source>`)."""
        names = [name for name in populations.parse(expression) if name != "staff"]
        self.populations.update(names)
        return " AND ".join(f"{_population_flag(name)} = 1" for name in names) or "1 = 1"

    def count(self, expression):
        return f"CASE WHEN {self.population(expression)} THEN 1 ELSE 0 END"

    def attribute(self, name, expression):
        alias = self.attributes.setdefault(name, (f"x{len(self.attributes)}", expression))[0]
        return f"t.{alias}"

    def load(self, name, aggregate):
        alias = self.loads.setdefault(name, (f"l{len(self.loads)}", aggregate))[0]
        return f"a.{alias}"

    def column(self, sql):
        """The alias of `SUM(sql)` (one column however many measures ask for it)."""
        return self.sums.setdefault(sql, f"c{len(self.sums)}")


def _population_flag(name):
    source = populations.TEACHER_POPULATIONS[name].source
    return f"t.a_{name}" if source is None else f"COALESCE(s_{source}.f_{name}, 0)"


class Schools:
    """What the readers get besides their sums: per-school lists aligned with the school list."""

    def __init__(self, school_list, vacancies, mentorship_model, education_levels):
        self.zeros = [0] * len(school_list)
        self.vacancies = [vacancies.get(s.id, 0) for s in school_list]
        self.mentorship_model = [1 if s.id in mentorship_model else 0 for s in school_list]
        self.education_levels = education_levels
        self.staff = self.zeros


# Below this share of the active schools the source tables are filtered to the staff asked for; above it they
# are read whole (measured on the region-scale bench, 1,528 schools: the two plans cost the same at 130–150
# schools, the filtered one grows faster above).
NARROW_SHARE = 0.08


class _OnStaff(Func):
    """The person column is one of the staff in `pos`. PostgreSQL: one index scan over the sorted array of their
    ids (the `people` CTE); elsewhere a plain IN."""

    output_field = BooleanField()
    template = "%(expressions)s IN (SELECT teacher_id FROM pos)"

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="%(expressions)s = ANY((SELECT ids FROM people)::bigint[])",
                           **extra)


def _flag(condition):
    if isinstance(condition, Q) and not condition:
        return Value(1, output_field=IntegerField())
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _aggregate(period, school_ids, basis, measures, education_levels, narrow):
    """Runs the grouped query of `_aggregate_sql`. Returns ({school_id: row}, {measure: {name: column index}})."""
    sql, params, columns = _aggregate_sql(period, tuple(school_ids), basis, tuple(measures), tuple(education_levels),
                                          narrow)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: row for row in cursor.fetchall()}, columns


@lru_cache(maxsize=64)
def _aggregate_sql(period, school_ids, basis, measures, education_levels, narrow):
    """(sql, params, {measure: {name: column index}}) of one grouped query; its text depends only on the arguments
    (no data is read to build it), so it is kept for the next call with the same schools and period.

    `pos` (a CTE, computed once) holds one row per school and person on the date with their loads there summed
    over their positions there; each person's attributes come from one pass over the teacher table; each source
    table is reduced to one "flags per person" row — only for the people on the schools' staff when `narrow`,
    for everyone otherwise; every measure's column is a SUM per school. Column 1 is the staff."""
    q = Query(period, education_levels)
    wanted = {m: {name: q.column(sql) for name, sql in m.sums(q).items()} for m in measures}
    scope = School.objects.filter(pk__in=school_ids).values("pk")
    positions = Appointment.objects.active_on(period.end).filter(school_id__in=scope)
    if basis == Indicator.Staff.MAIN:
        positions = positions.filter(employment=Employment.MAIN)
    pops = {name: populations.TEACHER_POPULATIONS[name] for name in q.populations}

    # GROUP BY school and person: someone with two positions at a school is one row; their load there is the
    # sum over those positions.
    persons = positions.values("school_id", "teacher_id").order_by().annotate(
        positions=Count("*"), **{alias: aggregate for alias, aggregate in q.loads.values()})
    person_sql, person_params = persons.query.sql_with_params()

    columns = {alias: expression for alias, expression in q.attributes.values()}
    for name, pop in sorted(pops.items()):
        if pop.source is None:
            columns[f"a_{name}"] = _flag(pop.condition(period, ""))
    attributes = Teacher.objects.order_by()
    if narrow and columns:
        # Dated histories (category, education) are read per person: only the people on the schools' staff.
        attributes = attributes.filter(id__in=positions.values("teacher_id"))
    attributes = attributes.annotate(**columns).values("id", *columns)
    attribute_sql, attribute_params = attributes.query.sql_with_params()

    joins, params = [], [*person_params, *attribute_params]
    by_source = defaultdict(list)
    for name, pop in sorted(pops.items()):
        if pop.source is not None:
            by_source[pop.source].append(name)
    for source_name, names in sorted(by_source.items()):
        source = populations.SOURCES[source_name]
        conditions = [pops[n].condition(period) for n in names]
        rows = source.rows(period)
        if all(conditions):
            # Rows that raise no flag change nothing (a person without any is a NULL row, counted as 0): they
            # are dropped before grouping.
            rows = rows.filter(reduce(or_, conditions))
        if narrow:
            rows = rows.filter(_OnStaff(F(source.person_field)))
        rows = rows.annotate(pid=F(source.person_field)).values("pid").order_by().annotate(
            **{f"f_{n}": Max(_flag(c)) for n, c in zip(names, conditions)})
        sql, sub_params = rows.query.sql_with_params()
        joins.append(f"LEFT JOIN ({sql}) s_{source_name} ON s_{source_name}.pid = t.id")
        params.extend(sub_params)

    select = ["a.school_id", "COUNT(*) AS staff"]
    select += [f"SUM({sql}) AS {alias}" for sql, alias in q.sums.items()]
    people = ""
    if narrow and joins and connection.vendor == "postgresql":
        people = ", people AS (SELECT array_agg(DISTINCT teacher_id) AS ids FROM pos)"
    sql = (f"WITH pos AS ({person_sql}){people} SELECT {', '.join(select)} FROM pos a "
           f"JOIN ({attribute_sql}) t ON t.id = a.teacher_id {' '.join(joins)} GROUP BY a.school_id")
    index = {alias: 2 + i for i, alias in enumerate(q.sums.values())}
    return sql, tuple(params), {m: {name: index[alias] for name, alias in names.items()}
                                for m, names in wanted.items()}


# ---------------------------------------------------------------------------------------------------------------
# compute

def compute(period, *, user=None, codes=None, schools=None):
    """Every indicator (or `codes`) for `period` at every level over `schools` (or what `user` may see).

    Results are cached under the data version (indicators.freshness) when ENGINE_CACHE_SECONDS is set; a
    school head's result keeps only their own school's rows.
    """
    school_qs, visible_ids = _scope_schools(user, schools)
    result = _cached(period, codes, school_qs)
    if visible_ids is not None:
        entities = dict(result.entities)
        entities["school"] = [e for e in entities["school"] if e.key in visible_ids]
        cells = {k: v for k, v in result.cells.items() if k[1] != "school" or k[2] in visible_ids}
        result = Result(result.period, result.indicators, entities, cells, result.targets)
    return result


# Finished results of this process, newest last: {key: (stamp, result)}, keyed like the shared cache (the data
# version is in the key). Each shared entry has a small stamp beside it; a memo entry answers only while the shared
# cache still holds that stamp (one small read), so the memo never outlives the shared entry — a cleared cache or
# an entry another process replaced is read again. Results are never changed after they are built.
_MEMO = OrderedDict()
# The memo's size in schools over all its results: a region result (1,528 schools × 30 indicators) holds ~16 MB.
# A result of no schools counts as one, so many empty results are bounded too.
MEMO_SCHOOLS = 4000
# runserver and threaded workers read and fill the memo from several threads: an OrderedDict's move_to_end and
# the eviction's walk over it are not atomic (a walk while another thread inserts raises RuntimeError).
_MEMO_LOCK = threading.Lock()


def _memo_size(result):
    return max(1, len(result.entities["school"]))


def _cached(period, codes, school_qs):
    seconds = settings.ENGINE_CACHE_SECONDS
    if not seconds:
        return _compute(period, codes, school_qs)
    if isinstance(school_qs, SchoolList):
        school_qs = School.objects.filter(pk__in=school_qs)
    ids = sorted(school_qs.filter(is_active=True).values_list("pk", flat=True))
    if len(ids) > settings.ENGINE_CACHE_MAX_SCHOOLS:
        return _compute(period, codes, school_qs)
    signature = f"{freshness.current()}|{period}|{sorted(codes) if codes else ''}|{ids}"
    key = "engine:" + hashlib.sha1(signature.encode()).hexdigest()
    stamp = cache.get(f"{key}:stamp")
    with _MEMO_LOCK:
        memo = _MEMO.get(key)
        if memo is not None and stamp is not None and memo[0] == stamp:
            _MEMO.move_to_end(key)
            return memo[1]
    result = cache.get(key) if stamp is not None else None
    if result is None:
        result, stamp = _compute(period, codes, SchoolList(ids)), uuid4().hex
        cache.set_many({key: result, f"{key}:stamp": stamp}, seconds)
    with _MEMO_LOCK:
        _MEMO[key] = (stamp, result)
        _MEMO.move_to_end(key)
        size = sum(_memo_size(r) for _, r in _MEMO.values())
        while len(_MEMO) > 1 and size > MEMO_SCHOOLS:
            size -= _memo_size(_MEMO.popitem(last=False)[1][1])
    return result


def _compute(period, codes, school_qs):
    indicators = indicators_for(period.year, codes)
    keep = None
    if isinstance(school_qs, SchoolList):
        if len(school_qs) > 200:
            # A long list: read every active school and keep the listed ones here (compiling 1,500 ids into
            # the SQL costs more than the rows it saves).
            keep, school_qs = set(school_qs), None
        else:
            school_qs = tuple(sorted(set(school_qs)))
    school_list, vacancies, mentorship_model, active_total = _schools(period, school_qs, keep)
    education_levels = tuple(Level(pk, name) for pk, name in EducationLevel.objects.values_list("pk", "name"))
    narrow = len(school_list) <= NARROW_SHARE * active_total
    position = {s.id: i for i, s in enumerate(school_list)}
    schools = Schools(school_list, vacancies, mentorship_model, education_levels)

    measured = [(ind, measure_for(ind)) for ind in indicators]
    by_basis = defaultdict(dict)
    for ind, m in measured:
        by_basis[ind.staff][m] = None
    read = {}  # (basis, measure) -> (numerators, denominators, bands): lists aligned with the school list
    for basis, measures in sorted(by_basis.items()):
        if school_list:
            rows, columns = _aggregate(period, [s.id for s in school_list], basis, list(measures), education_levels,
                                       narrow)
        else:
            rows, columns = {}, {m: dict.fromkeys(m.sums(Query(period, education_levels))) for m in measures}
        staff = [0] * len(school_list)
        for sid, row in rows.items():
            if sid in position:
                staff[position[sid]] = row[1]
        schools.staff = staff
        for m in measures:
            cols = {}
            for name, index in columns[m].items():
                values = [0] * len(school_list)
                for sid, row in rows.items():
                    if sid in position and row[index] is not None:
                        values[position[sid]] = row[index]
                cols[name] = values
            read[(basis, m)] = m.read(schools, cols)

    municipality_ids = {s.municipality_id for s in school_list}
    targets = {(code, mid, cid): value for code, mid, cid, value in Target.objects.filter(
        year=period.year, municipality_id__in=municipality_ids).order_by().values_list(
        "indicator_code", "municipality_id", "cluster_id", "value")}

    entities = _entities(school_list)
    # Every group (cluster, municipality, region) as the positions of its schools in the school list.
    groups = [(level, ent.key, [position[sid] for sid in ent.school_ids])
              for level in LEVELS[1:] for ent in entities[level]]
    facts = [(ind, _places(ind.kind, m), read[(ind.staff, m)]) for ind, m in measured]
    return _result_from_facts(period, indicators, entities, targets, facts, groups)


def _result_from_facts(period, indicators, entities, targets, facts, groups=None):
    """The Result whose cells `_build_cells` makes from per-school `facts`, one indicator when it is first read
    (also how the shared cache reads one)."""
    school_ids = [e.key for e in entities["school"]]
    if groups is None:
        position = {sid: i for i, sid in enumerate(school_ids)}
        groups = [(level, ent.key, [position[sid] for sid in ent.school_ids])
                  for level in LEVELS[1:] for ent in entities[level]]
    pending = defaultdict(list)
    for ind, places, per_school in facts:
        pending[ind.code].append((ind, places, per_school, school_ids, groups))
    return Result(period, indicators, entities, Cells(dict(pending)), targets, facts)


def _schools(period, school_qs, keep):
    """One query: the active schools in scope as `SchoolRow`s (ordered for display), each school's open vacancies
    on the date and whether it implements the mentorship model that year, and how many schools are active in
    the whole database. Returns (rows, {school_id: vacancies}, {school_id implementing}, active total).

    `school_qs`: a queryset, or a tuple of school ids, or None for every school; for the last two the compiled
    statement is kept (`_schools_sql`)."""
    try:
        if school_qs is None or isinstance(school_qs, tuple):
            sql, params = _schools_sql(period.end, school_qs)
        else:
            sql, params = _schools_query(period.end, school_qs).query.sql_with_params()
    except EmptyResultSet:  # no schools asked for (an empty list, `.none()`)
        return [], {}, set(), 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    school_list, vacancies, mentorship_model, active_total = [], {}, set(), 0
    for id_, name, mid, cid, m_short, m_name, c_name, open_n, adopts, active_total in rows:
        if keep is not None and id_ not in keep:
            continue
        school_list.append(SchoolRow(id_, name, mid, cid, m_short or m_name, c_name))
        if open_n:
            vacancies[id_] = open_n
        if adopts:
            mentorship_model.add(id_)
    return school_list, vacancies, mentorship_model, active_total


def _schools_query(on, school_qs):
    open_vacancies = (Vacancy.objects.open_on(on).filter(school_id=OuterRef("pk")).order_by()
                      .values("school_id").annotate(n=Count("pk")).values("n"))
    adopts = MentorshipModelAdoption.objects.filter(school_id=OuterRef("pk"), year=on.year, implements=True)
    # A plain COUNT without GROUP BY (an index-only count over the partial index school_active).
    active = School.objects.filter(is_active=True).order_by().annotate(
        n=Func(F("pk"), function="COUNT", output_field=IntegerField())).values("n")
    return (school_qs.filter(is_active=True)
            .annotate(open_vacancies=Subquery(open_vacancies), adopts=Exists(adopts), active_total=Subquery(active))
            .order_by("municipality__name", "cluster__order", "short_name")
            .values_list("id", "short_name", "municipality_id", "cluster_id", "municipality__short_name",
                         "municipality__name", "cluster__short_name", "open_vacancies", "adopts", "active_total"))


@lru_cache(maxsize=64)
def _schools_sql(on, school_ids):
    """(sql, params) of `_schools_query` for these school ids (None: all); built from no data, like
    `_aggregate_sql`."""
    school_qs = School.objects.all() if school_ids is None else School.objects.filter(pk__in=school_ids)
    return _schools_query(on, school_qs).query.sql_with_params()



# ---------------------------------------------------------------------------------------------------------------
# Cells: one builder for every kind and level.

def _value_units(kind, numerator, denominator, places):
    """The value of pooled (numerator, denominator) as a whole number of 10^-places, or None (no data)."""
    if kind == Indicator.Kind.SHARE:
        return _units(numerator, denominator, 100, places) if denominator else None
    if kind == Indicator.Kind.MEAN:
        return _units(numerator, denominator, 1, places) if denominator else None
    return numerator  # counts and distributions: the number itself


def _places(kind, m):
    return m.places if kind == Indicator.Kind.MEAN else 1 if kind == Indicator.Kind.SHARE else 0


def _build_cells(cells, ind, places, facts, school_ids, groups):
    """The cells of one indicator for every school (`school_ids`) and group (positions in that list) from
    per-school (numerators, denominators, bands): groups pool by summing; values by one rounding to `places`
    decimals; aggregates carry the spread of their schools' values."""
    code, kind, unit = ind.code, ind.kind, ind.unit
    nums, dens, bands = facts
    if kind == Indicator.Kind.DISTRIBUTION:
        labels, counts = bands
        per_school = zip(*counts) if counts else [()] * len(school_ids)  # each school's counts, band by band
        for school_id, n, row in zip(school_ids, nums, per_school):
            cells[(code, "school", school_id)] = Cell(kind, unit, n, n, n, None, list(zip(labels, row)))
        for level, key, members in groups:
            total = sum(map(nums.__getitem__, members))
            listed = [(label, sum(map(band.__getitem__, members))) for label, band in zip(labels, counts)]
            cells[(code, level, key)] = Cell(kind, unit, total, total, total, None, listed if members else [])
        return
    zeros = dens if dens is not None else [0] * len(nums)
    units = [_value_units(kind, n, d, places) for n, d in zip(nums, zeros)]
    for school_id, num, den, u in zip(school_ids, nums, dens or zeros, units):
        cells[(code, "school", school_id)] = Cell(kind, unit, num, den if dens is not None else None,
                                                  None if u is None else _number(u, places))
    for level, key, members in groups:
        num = sum(map(nums.__getitem__, members))
        den = sum(map(dens.__getitem__, members)) if dens is not None else None
        u = _value_units(kind, num, den or 0, places)
        values = sorted([v for v in map(units.__getitem__, members) if v is not None])
        cells[(code, level, key)] = Cell(kind, unit, num, den, None if u is None else _number(u, places),
                                         _spread(values, places) if values else None)


def _spread(values, places):
    """(min, median, max) of sorted school values (whole numbers of 10^-places); an even count's median is the
    mean of the middle two, rounded half up like the values — for counts (places 0) to one decimal."""
    n, i = len(values), len(values) // 2
    if n % 2:
        middle = _number(values[i], places)
    elif places:
        middle = _number((values[i - 1] + values[i] + 1) // 2, places)
    else:
        middle = _number(5 * (values[i - 1] + values[i]), 1)
    return _number(values[0], places), middle, _number(values[-1], places)


def _entities(school_list):
    entities = {level: [] for level in LEVELS}
    clusters, municipalities = defaultdict(list), defaultdict(list)
    names = {}
    for s in school_list:
        entities["school"].append(Entity("school", s.id, s.short_name, s.cluster_id, s.municipality_id, (s.id,)))
        clusters[(s.municipality_id, s.cluster_id)].append(s.id)
        municipalities[s.municipality_id].append(s.id)
        names[("cluster", (s.municipality_id, s.cluster_id))] = s.cluster_name
        names[("municipality", s.municipality_id)] = s.municipality_name
    several = len(municipalities) > 1
    for (mid, cid), ids in clusters.items():
        name = names[("cluster", (mid, cid))]
        if several:
            name = f"{name} — {names[('municipality', mid)]}"
        entities["cluster"].append(Entity("cluster", (mid, cid), name, cid, mid, tuple(ids)))
    for mid, ids in municipalities.items():
        entities["municipality"].append(Entity("municipality", mid, names[("municipality", mid)], None, mid, tuple(ids)))
    entities["region"].append(Entity("region", "region", "регион", None, None, tuple(s.id for s in school_list)))
    return entities


@dataclass
class Explanation:
    """The people (or schools) behind a cell.

    Shares and counts: `len(numerator) == cell.numerator`, `len(denominator) == cell.denominator`.
    Means and distributions: `numerator` and `denominator` are the people averaged / distributed, and their
    number equals `cell.denominator`. Items are `(school, teacher)` pairs; `(school, vacancy)` for vacancy
    measures (K2, K9); plain schools when `subject == "schools"` (Y2, N2).
    """

    indicator: Indicator
    entity: Entity
    numerator: list  # [(school, teacher | vacancy)] or [school]
    denominator: list
    subject: str
    cell: Cell = None
    # Staff of the entity's schools on the date left out by the indicator's rules, with the reason:
    # [(school, teacher, reason)] — external part-timers of a main-staff indicator, people without a recorded load.
    excluded: list = dataclass_field(default_factory=list)

    @property
    def not_counted(self):
        """Denominator items that are not in the numerator (shares): e.g. the young specialists without both a
        school and a municipal mentor for Y1. Empty for means, counts and distributions."""
        if self.numerator is self.denominator or self.indicator.kind != Indicator.Kind.SHARE:
            return []
        counted = {_item_key(item) for item in self.numerator}
        return [item for item in self.denominator if _item_key(item) not in counted]


def _item_key(item):
    if isinstance(item, tuple):
        return (item[0].pk, type(item[1]).__name__, item[1].pk)
    return item.pk


def _excluded(period, school_ids, ind, counted, m):
    """People working at `school_ids` on the period's end that the indicator's staff rules leave out."""
    if ind.subject != Indicator.Subject.TEACHERS or ind.numerator in ("open_vacancies",):
        return []
    counted = {(school.pk, person.pk) for school, person in counted if isinstance(person, Teacher)}
    rows = (person_rows(period, school_ids, Indicator.Staff.ALL).select_related("school", "teacher")
            .order_by("school__short_name", "teacher__last_name", "teacher__first_name", "teacher__middle_name",
                      "teacher_id"))
    main = set(person_rows(period, school_ids, Indicator.Staff.MAIN).values_list("school_id", "teacher_id"))
    out = []
    for a in rows:
        key = (a.school_id, a.teacher_id)
        if key in counted:
            continue
        if ind.staff == Indicator.Staff.MAIN and key not in main:
            out.append((a.school, a.teacher, "внешний совместитель: показатель считает основных работников"))
        elif m.missing:
            out.append((a.school, a.teacher, m.missing))
    return out




class Explainer:
    """The item lists measures explain themselves with (`Measure.explain`)."""

    def __init__(self, period, school_ids, ind):
        self.period, self.school_ids, self.ind = period, school_ids, ind

    def pairs(self, expression, rows=None):
        """(school, teacher) of the staff in the population `expression`; (school, vacancy) for vacancies."""
        period, school_ids = self.period, self.school_ids
        if not expression:
            return []
        if expression == "open_vacancies":
            vacancies = (Vacancy.objects.open_on(period.end).filter(school_id__in=school_ids)
                         .select_related("school", "position", "subject").order_by("school__short_name", "opened", "pk"))
            return [(v.school, v) for v in vacancies]
        if expression == "staff_and_vacancies":
            return self.pairs("staff") + self.pairs("open_vacancies")
        rows = person_rows(period, school_ids, self.ind.staff) if rows is None else rows
        rows = rows.filter(populations.teacher_predicate(expression, period, prefix="teacher__", ref="teacher_id"))
        rows = rows.select_related("school", "teacher", "position").order_by(
            "school__short_name", "teacher__last_name", "teacher__first_name", "teacher__middle_name", "teacher_id")
        return [(a.school, a.teacher) for a in rows]

    def recorded(self, column):
        """The staff with a recorded `column` (load, ставка) at the school."""
        recorded = Appointment.objects.active_on(self.period.end).filter(
            teacher_id=OuterRef("teacher_id"), school_id=OuterRef("school_id"), **{f"{column}__isnull": False})
        if self.ind.staff == Indicator.Staff.MAIN:
            recorded = recorded.filter(employment=Employment.MAIN)
        return self.pairs("staff", person_rows(self.period, self.school_ids, self.ind.staff).filter(Exists(recorded)))

    def _schools(self):
        return list(School.objects.filter(pk__in=self.school_ids).order_by("short_name"))

    def staffed_schools(self):
        staffed = set(person_rows(self.period, self.school_ids, self.ind.staff).values_list("school_id", flat=True))
        return [s for s in self._schools() if s.pk in staffed]

    def mentorship_schools(self):
        ok = set(MentorshipModelAdoption.objects.filter(
            school_id__in=self.school_ids, year=self.period.end.year, implements=True).values_list("school_id",
                                                                                                  flat=True))
        return [s for s in self.staffed_schools() if s.pk in ok]

    def network_schools(self):
        ok = set(person_rows(self.period, self.school_ids, self.ind.staff).filter(populations.teacher_predicate(
            "network_member", self.period, prefix="teacher__", ref="teacher_id")).values_list("school_id", flat=True))
        return [s for s in self.staffed_schools() if s.pk in ok]


def explain(code, period, level, key, *, user=None):
    """The people (or schools) behind one number; len(numerator)/len(denominator) equal the cell's."""
    result = compute(period, user=user, codes=[code])
    ind = result.indicator(code)
    entity = result.entity(level, key)
    if ind is None or entity is None:
        return None
    school_ids = list(entity.school_ids)
    m = measure_for(ind)
    numerator, denominator = m.explain(Explainer(period, school_ids, ind))
    if m.subject == Indicator.Subject.SCHOOLS:
        return Explanation(ind, entity, numerator, denominator, "schools", result.get(code, level, key))
    base = denominator if ind.kind == Indicator.Kind.SHARE else numerator
    if ind.kind == Indicator.Kind.SHARE and ind.denominator != "staff":
        excluded = []  # a share of a sub-population (Y1: young specialists): the rest of the staff is not "left out"
    else:
        excluded = _excluded(period, school_ids, ind, base, m)
    return Explanation(ind, entity, numerator, denominator, "teachers", result.get(code, level, key), excluded)
