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

Queries: five whatever the number of schools or teachers — the catalogue; the
schools with their open vacancies and mentorship-model flag; education levels;
one grouped aggregate per staff basis (one row per person and school, their
facts from each source table as flags, every population a conditional sum);
targets. On PostgreSQL the schools and aggregate statements are prepared once
per connection and then only executed (`_execute`).
"""
import gc
import hashlib
from itertools import count
from contextlib import contextmanager
from functools import lru_cache, reduce
from operator import or_
from collections import defaultdict, namedtuple
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import (
    BooleanField, Case, Count, Exists, F, Func, IntegerField, Max, OuterRef, Q, Subquery, Sum, Value, When,
)
from django.db.models.functions import ExtractYear

from teachers.models import Appointment, EducationLevel, MentorshipModelAdoption, School, Teacher, Vacancy
from teachers.dates import add_years, birthday_cutoff, years_before
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
MEAN_PLACES = {"rate": "0.01"}  # means are shown with one decimal, ставки with two


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


@lru_cache(maxsize=1 << 16)
def percent(numerator, denominator):
    """numerator / denominator × 100 to one decimal, halves up; exact for whole counts (integer arithmetic).
    Schools repeat the same small pairs; the Decimal results are immutable, so they are shared."""
    if not denominator:
        return None
    if isinstance(numerator, int) and isinstance(denominator, int) and numerator >= 0 and denominator > 0:
        return _from_tenths(_tenths(numerator, denominator))
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _tenths(numerator, denominator):
    """A share of whole counts in tenths of a percent, halves up (denominator > 0)."""
    return (2000 * numerator + denominator) // (2 * denominator)


@lru_cache(maxsize=None)
def _from_tenths(tenths):
    return Decimal(tenths).scaleb(-1)


def ratio(total, count, places="0.1"):
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


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


# An education level as the bands need it.
Level = namedtuple("Level", "pk name")

# A school as the engine needs it (a plain row: no model instances for 1,500 schools).
SchoolRow = namedtuple("SchoolRow", "id short_name municipality_id cluster_id municipality_name cluster_name")


@dataclass
class Result:
    period: Period
    indicators: list
    entities: dict  # level -> [Entity]
    cells: dict  # (code, level, key) -> Cell
    targets: dict  # (code, municipality_id, cluster_id|None) -> Decimal

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
    the user may see."""
    if schools is not None:
        return SchoolList(s.pk if hasattr(s, "pk") else s for s in schools), None
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


def _band_filters(on, prefix="teacher__"):
    """Conditional filters for the distribution bands, by date thresholds (portable SQL)."""
    ped = f"{prefix}ped_experience_start"
    birth = f"{prefix}birth_date"
    filters = {}
    for i, (_, low, high) in enumerate(EXPERIENCE_BANDS):
        q = Q(**{f"{ped}__isnull": False, f"{ped}__lte": on})
        q &= Q(**{f"{ped}__lte": years_before(on, low)})
        if high is not None:
            q &= Q(**{f"{ped}__gt": years_before(on, high)})
        filters[f"exp{i}"] = q
    filters["exp_none"] = Q(**{f"{ped}__isnull": True}) | Q(**{f"{ped}__gt": on})
    for name, bands in (("age", AGE_BANDS), ("agegroup", AGE_GROUPS)):
        for i, (_, low, high) in enumerate(bands):
            q = Q()
            if low is not None:
                q &= Q(**{f"{birth}__lte": years_before(on, low)})
            if high is not None:
                q &= Q(**{f"{birth}__gt": years_before(on, high)})
            filters[f"{name}{i}"] = q
    return filters


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


def _expressions(indicators, basis):
    exprs = {"staff", "network_member"}
    for ind in indicators:
        if ind.staff != basis or ind.subject != Indicator.Subject.TEACHERS:
            continue
        for expr in (ind.numerator, ind.denominator):
            if (expr and not populations.is_measure(expr, ind.kind) and not populations.is_measure(expr)
                    and not populations.check_expression(expr)):
                exprs.add(expr)
    return sorted(exprs)


def _flag(condition):
    if isinstance(condition, Q) and not condition:
        return Value(1, output_field=IntegerField())
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _measures(indicators, basis):
    """What beyond population counts the indicators on this staff basis need: distribution bands, mean age,
    loads."""
    return {ind.numerator for ind in indicators if ind.staff == basis
            and ind.kind in (Indicator.Kind.DISTRIBUTION, Indicator.Kind.MEAN)}


BAND_GROUPS = {"experience": ("exp",), "age": ("age",), "age_groups": ("agegroup",)}


class _OnStaff(Func):
    """The person column is one of the staff in `pos`. PostgreSQL: one index scan over the sorted array of their
    ids (the `people` CTE), which also hands the rows over ordered by person — no semi-join to build per source;
    elsewhere a plain IN."""

    output_field = BooleanField()
    template = "%(expressions)s IN (SELECT teacher_id FROM pos)"

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="%(expressions)s = ANY((SELECT ids FROM people)::bigint[])",
                           **extra)


def _aggregate(period, school_ids, basis, expressions, education_levels, narrow=True, measures=None):
    """Runs the grouped query of `_aggregate_sql`. Returns {school_id: {column: value}}."""
    if measures is None:
        measures = {"experience", "age", "age_groups", "education", "weekly_hours", "rate"}
    sql, params = _aggregate_sql(period, tuple(school_ids), basis, tuple(expressions),
                                 tuple(level.pk for level in education_levels), narrow, frozenset(measures))
    with connection.cursor() as cursor:
        _execute(cursor, sql, params)
        names = [col[0] for col in cursor.description]
        return {row[0]: dict(zip(names, row)) for row in cursor.fetchall()}


PREPARED_PER_CONNECTION = 16


def _execute(cursor, sql, params):
    """Runs one of the engine's own statements (a text built from no data, the same for the same schools and
    period). On PostgreSQL it is prepared once per connection with its values written in — so the plan is made
    for those values, never a generic one — and then only EXECUTEd: parsing and planning the 14 KB grouped
    statement was a quarter of a district's time. One round trip either way (PREPARE and EXECUTE go together).
    PREPARE outlives a rolled-back transaction, so the names kept for the connection stay true; at most
    PREPARED_PER_CONNECTION are kept, the oldest deallocated."""
    if connection.vendor != "postgresql" or not settings.ENGINE_PREPARED_STATEMENTS:
        cursor.execute(sql, params)
        return
    key = (sql, tuple(params))
    try:
        hash(key)
    except TypeError:  # a list among the values: not kept, run as it is
        cursor.execute(sql, params)
        return
    prepared = _prepared_statements()
    name = prepared.pop(key, None)
    if name is not None:
        prepared[key] = name  # most recently used last
        cursor.execute(f"EXECUTE {name}")
        return
    text = connection.ops.compose_sql(sql, params)
    # A name never used before in this process: if the statement fails after PREPARE took effect, that name is
    # simply not used again.
    name = f"engine_{next(_PREPARED_NAMES)}"
    statements = []
    while len(prepared) >= PREPARED_PER_CONNECTION:
        statements.append(f"DEALLOCATE {prepared.pop(next(iter(prepared)))}")
    statements += [f"PREPARE {name} AS {text}", f"EXECUTE {name}"]
    cursor.execute("; ".join(statements))
    prepared[key] = name


_PREPARED_NAMES = count(1)


def _prepared_statements():
    """{(sql, params): name} prepared on the current database session; a new session starts empty."""
    wrapper = connections[connection.alias]
    wrapper.ensure_connection()
    state = getattr(wrapper, "_engine_prepared", None)
    if state is None or state[0] is not wrapper.connection:
        state = wrapper._engine_prepared = (wrapper.connection, {})
    return state[1]


@lru_cache(maxsize=64)
def _aggregate_sql(period, school_ids, basis, expressions, education_level_ids, narrow, measures):
    """(sql, params) of one grouped query; its text depends only on the arguments (no data is read to build
    it), so the compiled statement is kept for the next call with the same schools and period — the engine
    still reads the database every time.

    One grouped query. `pos` (a CTE, computed once) holds one row per school and person on the date with
    their load there summed over their positions there; each person's attributes come from one pass over the
    teacher table; each source table is reduced to one "flags per person" row — only for the people on the
    schools' staff when `narrow` (a district), for everyone when the schools are most of the database (the
    region: reading a whole table once is cheaper than checking each row against the staff list); every
    population is a conditional SUM; bands, ages and loads only when `measures` (see `_measures`; None = all)
    ask for them."""
    scope = School.objects.filter(pk__in=school_ids).values("pk")
    positions = Appointment.objects.active_on(period.end).filter(school_id__in=scope)
    if basis == Indicator.Staff.MAIN:
        positions = positions.filter(employment=Employment.MAIN)
    needed = {name for expr in expressions for name in populations.parse(expr)}
    pops = {name: populations.TEACHER_POPULATIONS[name] for name in needed}

    # GROUP BY school and person: someone with two positions at a school is one row; their load there is the
    # sum over those positions.
    loads = {}
    if "weekly_hours" in measures:
        loads.update(l_hours=Sum("weekly_hours"), l_has_hours=Max(_flag(Q(weekly_hours__isnull=False))))
    if "rate" in measures:
        loads.update(l_rate=Sum("rate"), l_has_rate=Max(_flag(Q(rate__isnull=False))))
    persons = positions.values("school_id", "teacher_id").order_by().annotate(positions=Count("*"), **loads)
    person_sql, person_params = persons.query.sql_with_params()

    columns = {}
    for name, pop in sorted(pops.items()):
        if pop.source is None and name != "staff":
            columns[f"a_{name}"] = _flag(pop.condition(period, ""))
    wanted = tuple(p for m in measures for p in BAND_GROUPS.get(m, ()))
    bands = {name: q for name, q in _band_filters(period.end, prefix="").items()
             if name.rstrip("0123456789").removesuffix("_none") in wanted}
    for name, q in bands.items():
        columns[f"b_{name}"] = _flag(q)
    if "education" not in measures:
        education_level_ids = ()
    if education_level_ids:
        # The level at the period's end from the dated history, read once per person; the bands below compare it.
        columns["edu_at"] = education_on(period.end)
    if "age" in measures:
        columns["b_age"] = _age_expression(period.end, prefix="")
    attributes = Teacher.objects.order_by()
    if narrow and ("edu_at" in columns or any(pops[n].source is None and n != "staff" for n in pops)):
        # The dated histories (category, education) are read per person: for a district only the people on its
        # schools' staff, not the whole region's table.
        attributes = attributes.filter(id__in=positions.values("teacher_id"))
    attributes = attributes.annotate(**columns).values("id", *columns)
    attribute_sql, attribute_params = attributes.query.sql_with_params()

    joins, params, where = [], [*person_params, *attribute_params], {}
    by_source = {}
    for name, pop in sorted(pops.items()):
        if pop.source is not None:
            by_source.setdefault(pop.source, []).append(name)
    for i, (source_name, names) in enumerate(sorted(by_source.items())):
        source = populations.SOURCES[source_name]
        conditions = [pops[n].condition(period) for n in names]
        flags = {f"f_{n}": Max(_flag(q)) for n, q in zip(names, conditions)}
        rows = source.rows(period)
        if all(conditions):
            # Rows that raise no flag change nothing (a person without any is a NULL row, counted as 0): they
            # are dropped before grouping.
            rows = rows.filter(reduce(or_, conditions))
        if narrow:
            rows = rows.filter(_OnStaff(F(source.person_field)))
        rows = (rows.annotate(pid=F(source.person_field)).values("pid").order_by().annotate(**flags))
        sql, sub_params = rows.query.sql_with_params()
        joins.append(f"LEFT JOIN ({sql}) s{i} ON s{i}.pid = t.id")
        params.extend(sub_params)
        for n in names:
            where[n] = f"COALESCE(s{i}.f_{n}, 0) = 1"
    for name in pops:
        if pops[name].source is None:
            where[name] = "1 = 1" if name == "staff" else f"t.a_{name} = 1"

    select = ["a.school_id"]
    for i, expr in enumerate(expressions):
        condition = " AND ".join(where[n] for n in populations.parse(expr)) or "1 = 1"
        select.append(f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END) AS p{i}")
    for name in bands:
        select.append(f"SUM(t.b_{name}) AS {name}")
    for pk in education_level_ids:
        select.append(f"SUM(CASE WHEN t.edu_at = {int(pk)} THEN 1 ELSE 0 END) AS edu{pk}")
    if "age" in measures:
        select.append("SUM(t.b_age) AS age_sum")
    if "weekly_hours" in measures:
        select += ["SUM(a.l_hours) AS hours_sum", "SUM(a.l_has_hours) AS hours_n"]
    if "rate" in measures:
        select += ["SUM(a.l_rate) AS rate_sum", "SUM(a.l_has_rate) AS rate_n"]
    people = ""
    if narrow and joins and connection.vendor == "postgresql":
        people = ", people AS (SELECT array_agg(DISTINCT teacher_id) AS ids FROM pos)"
    sql = (f"WITH pos AS ({person_sql}){people} SELECT {', '.join(select)} FROM pos a "
           f"JOIN ({attribute_sql}) t ON t.id = a.teacher_id {' '.join(joins)} GROUP BY a.school_id")
    return sql, tuple(params)


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
    result = cache.get(key)
    if result is None:
        result = _compute(period, codes, SchoolList(ids))
        cache.set(key, result, seconds)
    return result


@contextmanager
def _no_gc_pauses():
    """Tens of thousands of small acyclic objects (rows, cells, tuples) would trigger collections that walk every
    live object of the process (a full collection in the middle of a region computation); none of them can form
    a cycle, so collection waits until the result is built."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_no_gc_pauses()
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
    school_ids = [s.id for s in school_list]
    education_levels = [Level(pk, name) for pk, name in EducationLevel.objects.values_list("pk", "name")]

    # Most of the database in scope: source tables are read whole rather than filtered by the staff list.
    narrow = len(school_ids) * 2 < active_total
    bases = {ind.staff for ind in indicators} | {Indicator.Staff.MAIN}
    aggregates, expr_index = {}, {}
    for basis in sorted(bases):
        exprs = _expressions(indicators, basis)
        expr_index[basis] = {expr: f"p{i}" for i, expr in enumerate(exprs)}
        aggregates[basis] = (_aggregate(period, school_ids, basis, exprs, education_levels, narrow,
                                               _measures(indicators, basis))
                            if school_ids else {})

    municipality_ids = {s.municipality_id for s in school_list}
    targets = {(code, mid, cid): value for code, mid, cid, value in Target.objects.filter(
        year=period.year, municipality_id__in=municipality_ids).order_by().values_list(
        "indicator_code", "municipality_id", "cluster_id", "value")}

    entities = _entities(school_list)
    cells = _cells(indicators, entities, school_list, aggregates, expr_index, vacancies, mentorship_model,
                   education_levels)
    return Result(period, indicators, entities, cells, targets)


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
        _execute(cursor, sql, params)
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


def _cells(indicators, entities, school_list, aggregates, expr_index, vacancies, mentorship_model,
           education_levels):
    cells = {}
    columns = _Columns(school_list, aggregates)
    # Every group (cluster, municipality, region) as the positions of its schools in the school list.
    position = {s.id: i for i, s in enumerate(school_list)}
    groups = [(level, ent.key, [position[sid] for sid in ent.school_ids])
              for level in LEVELS[1:] for ent in entities[level]]
    for ind in indicators:
        code = ind.code
        if _counted_share(ind):
            # The common case: two counted populations, read as columns aligned with the school list.
            index = expr_index[ind.staff]
            nums = columns.get(ind.staff, index.get(ind.numerator))
            dens = columns.get(ind.staff, index.get(ind.denominator))
            if nums is not None and dens is not None:
                _share_cells(cells, code, ind.kind, ind.unit, school_list, nums, dens, groups)
                continue
        # Per-school raw facts, then the school cells; their values are the spread of every aggregate above.
        facts = _indicator_facts(ind, school_list, aggregates[ind.staff], expr_index[ind.staff], vacancies,
                                 mentorship_model, education_levels)
        if _listed_cells(cells, ind, school_list, [facts[s.id] for s in school_list], groups):
            continue
        school_value = {}
        for ent in entities["school"]:
            cell = _cell(ind, (facts[ent.key],), None)
            cells[(code, "school", ent.key)] = cell
            school_value[ent.key] = cell.value
        for level in LEVELS[1:]:
            for ent in entities[level]:
                values = [v for v in map(school_value.__getitem__, ent.school_ids) if v is not None]
                cells[(code, level, ent.key)] = _cell(ind, [facts[sid] for sid in ent.school_ids], values)
    return cells


_UNCOUNTED = {None, "open_vacancies", "staff_and_vacancies"}


def _counted_share(ind):
    return (ind.kind == Indicator.Kind.SHARE and ind.subject == Indicator.Subject.TEACHERS
            and ind.numerator not in _UNCOUNTED and ind.denominator not in _UNCOUNTED)


class _Columns:
    """Columns of the grouped query as lists aligned with the school list (0 for a school without staff), each
    built once; None when a column holds anything but whole counts."""

    def __init__(self, school_list, aggregates):
        self.school_list, self.aggregates, self.built = school_list, aggregates, {}

    def get(self, basis, column):
        key = (basis, column)
        if key not in self.built:
            rows, empty = self.aggregates[basis], {}
            values = [(rows.get(s.id, empty).get(column) or 0) if column else 0 for s in self.school_list]
            self.built[key] = values if all(type(v) is int and v >= 0 for v in values) else None
        return self.built[key]


def _listed_cells(cells, ind, school_list, facts, groups):
    """Cells of an indicator that is not a counted share, from per-school facts listed in school order (the same
    cells `_cell` gives, without building a fact list per group). False when the facts do not fit (then `_cell`
    does the work)."""
    code, kind, unit = ind.code, ind.kind, ind.unit
    nums, dens = [f[0] for f in facts], [f[1] for f in facts]
    if kind == Indicator.Kind.SHARE:
        if not all(type(v) is int and v >= 0 for v in nums + dens):
            return False
        _share_cells(cells, code, kind, unit, school_list, nums, dens, groups)
        return True
    if kind == Indicator.Kind.DISTRIBUTION:
        labels = [label for label, _ in facts[0][3]] if facts else []
        if any([label for label, _ in f[3]] != labels for f in facts):
            return False
        staff = [f[2] for f in facts]
        bands = [[f[3][j][1] for f in facts] for j in range(len(labels))]
        for i, school in enumerate(school_list):
            cells[(code, "school", school.id)] = Cell(kind, unit, staff[i], staff[i], staff[i], None,
                                                      [(label, band[i]) for label, band in zip(labels, bands)])
        for level, key, members in groups:
            total = sum(map(staff.__getitem__, members))
            listed = [(label, sum(map(band.__getitem__, members))) for label, band in zip(labels, bands)]
            cells[(code, level, key)] = Cell(kind, unit, total, total, total, None, listed if members else [])
        return True
    if kind == Indicator.Kind.COUNT:
        with_den = ind.numerator == "open_vacancies"
        for school, num, den in zip(school_list, nums, dens):
            cells[(code, "school", school.id)] = Cell(kind, unit, num, den if with_den else None, num)
        for level, key, members in groups:
            num, den = sum(map(nums.__getitem__, members)), sum(map(dens.__getitem__, members))
            values = sorted(map(nums.__getitem__, members))
            cells[(code, level, key)] = Cell(kind, unit, num, den if with_den else None, num,
                                             _spread(values, "0.1") if values else None)
        return True
    if kind == Indicator.Kind.MEAN:
        places = MEAN_PLACES.get(ind.numerator, "0.1")
        means = [ratio(num, den, places) for num, den in zip(nums, dens)]
        for school, num, den, mean in zip(school_list, nums, dens, means):
            cells[(code, "school", school.id)] = Cell(kind, unit, num, den, mean)
        for level, key, members in groups:
            num, den = sum(map(nums.__getitem__, members)), sum(map(dens.__getitem__, members))
            values = sorted(v for v in map(means.__getitem__, members) if v is not None)
            cells[(code, level, key)] = Cell(kind, unit, num, den, ratio(num, den, places),
                                             _spread(values, places) if values else None)
        return True
    return False


def _share_cells(cells, code, kind, unit, school_list, nums, dens, groups):
    """Share cells of every school and group from whole counts: shares in tenths of a percent (integers, rounded
    half up exactly as `percent`), so the spread sorts integers, and an even count's median is the mean of the
    middle two rounded half up, as `_spread` does."""
    tenths = [_tenths(n, d) if d else None for n, d in zip(nums, dens)]
    for school, num, den, t in zip(school_list, nums, dens, tenths):
        cells[(code, "school", school.id)] = Cell(kind, unit, num, den, None if t is None else _from_tenths(t))
    get_num, get_den, get_tenths = nums.__getitem__, dens.__getitem__, tenths.__getitem__
    for level, key, members in groups:
        num, den = sum(map(get_num, members)), sum(map(get_den, members))
        values = sorted([t for t in map(get_tenths, members) if t is not None])
        spread = None
        if values:
            n, i = len(values), len(values) // 2
            middle = values[i] if n % 2 else (values[i - 1] + values[i] + 1) // 2
            spread = (_from_tenths(values[0]), _from_tenths(middle), _from_tenths(values[-1]))
        cells[(code, level, key)] = Cell(kind, unit, num, den, percent(num, den), spread)


def _decimal(value):
    """A SUM over a decimal column: Decimal on PostgreSQL, float or int on SQLite."""
    if value is None:
        return Decimal(0)
    if isinstance(value, Decimal):
        return value
    return Decimal(str(round(value, 2)))


def _indicator_facts(ind, school_list, rows, index, vacancies, mentorship_model, education_levels):
    """{school_id: (numerator, denominator, staff, bands)}: what each school contributes to any level."""
    staff_col = index.get("staff")
    kind, numerator = ind.kind, ind.numerator

    def count(row, school_id, expr):
        if expr == "open_vacancies":
            return vacancies.get(school_id, 0)
        if expr == "staff_and_vacancies":
            return count(row, school_id, "staff") + vacancies.get(school_id, 0)
        column = index.get(expr)
        return (row.get(column) or 0) if column else 0

    out = {}
    for school in school_list:
        sid = school.id
        row = rows.get(sid, {})
        staff = (row.get(staff_col) or 0) if staff_col else 0
        bands = None
        if ind.subject == Indicator.Subject.SCHOOLS:
            if numerator == "mentorship_model":
                num = 1 if sid in mentorship_model else 0
            elif numerator == "network_school":
                num = 1 if count(row, sid, "network_member") > 0 else 0
            else:
                num = 1
            # Only schools with staff on the date are counted.
            num, den = (num, 1) if staff else (0, 0)
        elif kind == Indicator.Kind.SHARE:
            num, den = count(row, sid, numerator), count(row, sid, ind.denominator)
        elif kind == Indicator.Kind.COUNT:
            if numerator == "open_vacancies":
                num = vacancies.get(sid, 0)
                den = staff + num
            else:
                num, den = count(row, sid, numerator or "staff"), 0
        elif kind == Indicator.Kind.MEAN:
            if numerator == "age":
                num, den = row.get("age_sum") or 0, staff
            elif numerator == "weekly_hours":
                # Mean load per person with a recorded load: all their positions at the school summed.
                num, den = _decimal(row.get("hours_sum")), row.get("hours_n") or 0
            elif numerator == "rate":
                num, den = _decimal(row.get("rate_sum")), row.get("rate_n") or 0
            else:
                num, den = 0, 0
        elif kind == Indicator.Kind.DISTRIBUTION:
            num = den = staff
            bands = _bands(numerator, row, education_levels, staff)
        else:
            num, den = 0, 0
        out[sid] = (num, den, staff, bands)
    return out


def _bands(which, row, education_levels, staff):
    if which == "education":
        bands = [(lvl.name, row.get(f"edu{lvl.pk}", 0)) for lvl in education_levels]
        bands.append((NO_EDUCATION_LEVEL, staff - sum(n for _, n in bands)))
        return bands
    if which == "experience":
        return [(label, row.get(f"exp{i}", 0)) for i, (label, _, _) in enumerate(EXPERIENCE_BANDS)] + \
            [(NO_EXPERIENCE, row.get("exp_none", 0))]
    if which == "age":
        return [(label, row.get(f"age{i}", 0)) for i, (label, _, _) in enumerate(AGE_BANDS)]
    if which == "age_groups":
        return [(label, row.get(f"agegroup{i}", 0)) for i, (label, _, _) in enumerate(AGE_GROUPS)]
    return []


def _cell(ind, facts, school_values):
    """Pooled cell over `facts` [(numerator, denominator, staff, bands)]; `school_values` (aggregates only)
    give the spread."""
    kind = ind.kind
    if len(facts) == 1 and school_values is None and kind == Indicator.Kind.SHARE:
        num, den = facts[0][0], facts[0][1]  # a school's share: the common case, kept short
        return Cell(kind, ind.unit, num, den, percent(num, den))
    cell = Cell(kind=kind, unit=ind.unit)
    if kind == Indicator.Kind.DISTRIBUTION:
        totals = defaultdict(int)
        order = []
        for f in facts:
            for label, n in f[3] or ():
                if label not in totals:
                    order.append(label)
                totals[label] += n
        cell.bands = [(label, totals[label]) for label in order]
        cell.numerator = cell.denominator = cell.value = sum(f[2] for f in facts)
        return cell
    if len(facts) == 1:
        num, den = facts[0][0], facts[0][1]
    else:
        num = sum(f[0] for f in facts)
        den = sum(f[1] for f in facts)
    places = MEAN_PLACES.get(ind.numerator, "0.1") if kind == Indicator.Kind.MEAN else "0.1"
    if kind == Indicator.Kind.COUNT:
        cell.numerator = cell.value = num
        if ind.numerator == "open_vacancies":
            cell.denominator = den
    else:
        cell.numerator, cell.denominator = num, den
        cell.value = percent(num, den) if kind == Indicator.Kind.SHARE else ratio(num, den, places)
    if school_values:
        cell.spread = _spread(sorted(school_values), places)
    return cell


def _spread(values, places):
    """(min, median, max) of sorted school values; an even count's median is the mean of the middle two,
    rounded like the values."""
    n, i = len(values), len(values) // 2
    mid = values[i] if n % 2 else (values[i - 1] + values[i]) / 2
    if isinstance(mid, Decimal):
        mid = mid.quantize(Decimal(places), rounding=ROUND_HALF_UP)
    elif isinstance(mid, float):
        mid = Decimal(str(mid)).quantize(Decimal(places), rounding=ROUND_HALF_UP)
    return values[0], mid, values[-1]


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


def _excluded(period, school_ids, ind, counted):
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
        elif ind.kind == Indicator.Kind.MEAN and ind.numerator in ("weekly_hours", "rate"):
            out.append((a.school, a.teacher, "нагрузка не указана" if ind.numerator == "weekly_hours"
                        else "ставка не указана"))
    return out


def explain(code, period, level, key, *, user=None):
    """The people (or schools) behind one number; len(numerator)/len(denominator) equal the cell's."""
    result = compute(period, user=user, codes=[code])
    ind = result.indicator(code)
    entity = result.entity(level, key)
    if ind is None or entity is None:
        return None
    school_ids = list(entity.school_ids)
    if ind.subject == Indicator.Subject.SCHOOLS:
        schools = list(School.objects.filter(pk__in=school_ids).order_by("short_name"))
        staffed_ids = set(person_rows(period, school_ids, ind.staff).values_list("school_id", flat=True))
        denominator = [s for s in schools if s.pk in staffed_ids]
        if ind.numerator == "mentorship_model":
            ok = set(MentorshipModelAdoption.objects.filter(
                school_id__in=school_ids, year=period.end.year, implements=True).values_list("school_id", flat=True))
        else:
            ok = set(person_rows(period, school_ids, ind.staff).filter(populations.teacher_predicate(
                "network_member", period, prefix="teacher__", ref="teacher_id")).values_list("school_id", flat=True))
        return Explanation(ind, entity, [s for s in denominator if s.pk in ok], denominator, "schools",
                           result.get(code, level, key))

    def pairs(expression, rows=None):
        if not expression:
            return []
        if expression == "open_vacancies":
            vacancies = (Vacancy.objects.open_on(period.end).filter(school_id__in=school_ids)
                         .select_related("school", "position", "subject").order_by("school__short_name", "opened", "pk"))
            return [(v.school, v) for v in vacancies]
        if expression == "staff_and_vacancies":
            return pairs("staff") + pairs("open_vacancies")
        rows = person_rows(period, school_ids, ind.staff) if rows is None else rows
        rows = rows.filter(populations.teacher_predicate(expression, period, prefix="teacher__", ref="teacher_id"))
        rows = rows.select_related("school", "teacher", "position").order_by(
            "school__short_name", "teacher__last_name", "teacher__first_name", "teacher__middle_name", "teacher_id")
        return [(a.school, a.teacher) for a in rows]

    if ind.kind == Indicator.Kind.SHARE:
        numerator, denominator = pairs(ind.numerator), pairs(ind.denominator)
    elif ind.kind == Indicator.Kind.COUNT and ind.numerator == "open_vacancies":
        numerator, denominator = pairs("open_vacancies"), pairs("staff_and_vacancies")
    elif ind.kind == Indicator.Kind.MEAN and ind.numerator in ("weekly_hours", "rate"):
        # The mean is over the people with a recorded load (ставка) at the school.
        column = "weekly_hours" if ind.numerator == "weekly_hours" else "rate"
        recorded = Appointment.objects.active_on(period.end).filter(
            teacher_id=OuterRef("teacher_id"), school_id=OuterRef("school_id"), **{f"{column}__isnull": False})
        if ind.staff == Indicator.Staff.MAIN:
            recorded = recorded.filter(employment=Employment.MAIN)
        numerator = denominator = pairs("staff", person_rows(period, school_ids, ind.staff).filter(Exists(recorded)))
    else:
        # Counts, the mean age and distributions are all about the staff on the date.
        numerator = denominator = pairs("staff")
    base = denominator if ind.kind == Indicator.Kind.SHARE else numerator
    if ind.kind == Indicator.Kind.SHARE and ind.denominator != "staff":
        excluded = []  # a share of a sub-population (Y1: young specialists): the rest of the staff is not "left out"
    else:
        excluded = _excluded(period, school_ids, ind, base)
    return Explanation(ind, entity, numerator, denominator, "teachers", result.get(code, level, key), excluded)


def teachers_in(period, school_ids, expression, basis=Indicator.Staff.MAIN):
    """Teachers (distinct persons) of `school_ids` in a population — for documents and checks."""
    appointments = person_rows(period, school_ids, basis).filter(populations.teacher_predicate(
        expression, period, prefix="teacher__", ref="teacher_id"))
    return Teacher.objects.filter(pk__in=appointments.values("teacher_id"))
