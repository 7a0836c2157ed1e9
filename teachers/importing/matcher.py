"""Rows → a plan: which people and positions will be created, which updated (and how), which left alone.

Matching an existing person: by СНИЛС, else by ФИО (case, «ё» and spaces do
not matter) together with the birth date. A position is matched by person +
school + position. Everything the plan needs from the database is fetched up
front in a handful of queries whose number does not grow with the rows
(IN-lists are chunked), so 10,000 rows are validated from memory.

Policy for updates: a filled cell overwrites, an empty cell or a missing
column leaves the stored value alone, and subjects are only ever added —
an import never erases what someone entered by hand.

Access (DESIGN §7, `teachers.scoping`): a person outside the importer's scope
matched by СНИЛС is never changed and nothing of them is shown — when the
row's ФИО and birth date agree, the row only adds a position at the importing
school ("attach"); otherwise the row is refused without naming anyone. A
person another school currently employs keeps their own data: the row's
changes to them are listed as not applied.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from teachers.models import Appointment, Employment, Teacher
from teachers.models.staff import format_snils

from .columns import BY_KEY, COLUMNS, NAME_PARTS
from .people import load_by_name, load_by_snils
from .rows import APPOINTMENT_FIELDS, TEACHER_FIELDS, Problem, date_problems, name_key
from .values import display, norm_key

CHUNK = 2000
# Reference objects compared field by field come with the person in the same query (no query per row).
TEACHER_RELATED = ("education_level", "category")
# Change lists name a field by its column's template header (one declaration, `columns.COLUMNS`).
LABELS = {**{c.key: c.header for c in COLUMNS if not c.ignored}, "subjects": BY_KEY["subjects"].header}
CHOICE_LABELS = {
    "gender": dict(Teacher.Gender.choices),
    "employment": dict(Employment.choices),
}


def show(key, value):
    """A value as the preview shows it."""
    if value is None or value == "":
        return "—"
    if key in CHOICE_LABELS:
        return CHOICE_LABELS[key].get(value, value)
    if key == "snils":
        return format_snils(value)
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text.replace(".", ",")
    return str(value)


def _same(key, old, new):
    if hasattr(new, "pk"):
        return getattr(old, "pk", old) == new.pk
    if isinstance(new, Decimal) and old is not None:
        return Decimal(old) == new
    return old == new


@dataclass
class Change:
    key: str
    label: str
    old: str
    new: str


@dataclass
class TeacherPlan:
    rows: list  # ImportRow
    values: dict  # the file's values for this person, merged over their rows
    subjects: list  # Subject objects from the file, union over rows
    instance: Teacher | None = None  # the stored person this row matched; None for a new one
    saved: Teacher | None = None  # set by the applier: the row written for this person
    matched_by: str = ""  # "snils" / "name" / ""
    at_school: bool = False  # already holds a position at the importing school (old values may be shown)
    changes: list = field(default_factory=list)
    changed_fields: list = field(default_factory=list)
    existing_links: dict = field(default_factory=dict)  # subject id → id of the stored link
    new_subjects: list = field(default_factory=list)
    outside: bool = False  # the stored person is outside the importer's scope: only a position is added
    kept_elsewhere: bool = False  # another school currently employs the person: their data are not changed
    skipped: list = field(default_factory=list)  # changes the file asks for that are not applied (kept_elsewhere)

    @property
    def action(self):
        if self.instance is None:
            return "create"
        return "update" if (self.changed_fields or self.new_subjects) else "unchanged"


@dataclass
class AppointmentPlan:
    row: object
    teacher: TeacherPlan
    values: dict
    instance: Appointment | None = None
    changes: list = field(default_factory=list)
    changed_fields: list = field(default_factory=list)

    @property
    def action(self):
        if self.instance is None:
            return "create"
        return "update" if self.changed_fields else "unchanged"


@dataclass
class ImportPlan:
    school: object
    rows: list
    problems: list
    teachers: list = field(default_factory=list)
    appointments: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    def counts(self):
        def count(items, action):
            return sum(1 for item in items if item.action == action)

        unchanged_rows = sum(
            1 for a in self.appointments if a.action == "unchanged" and a.teacher.action == "unchanged"
        )
        return {
            "rows": len(self.rows),
            "teachers_created": count(self.teachers, "create"),
            "teachers_updated": count(self.teachers, "update"),
            "teachers_unchanged": count(self.teachers, "unchanged"),
            "appointments_created": count(self.appointments, "create"),
            "appointments_updated": count(self.appointments, "update"),
            "appointments_unchanged": count(self.appointments, "unchanged"),
            "rows_unchanged": unchanged_rows,
            "problems": len(self.problems),
            "rows_with_problems": len({p.row for p in self.problems if p.row}),
        }

    def outcomes(self):
        """One entry per valid row for the preview: what happens to the person and to the position."""
        result = []
        for plan in self.appointments:
            teacher = plan.teacher
            first_row = teacher.rows[0].number == plan.row.number
            result.append({
                "row": plan.row.number,
                "name": plan.row.full_name,
                "position": str(plan.values.get("position") or (plan.instance.position if plan.instance else "")),
                "teacher_action": teacher.action if first_row else "same",
                "teacher_changes": teacher.changes if first_row else [],
                "matched_by": teacher.matched_by,
                "at_school": teacher.at_school,
                "outside": teacher.outside,
                "kept_elsewhere": teacher.kept_elsewhere,
                "teacher_skipped": teacher.skipped if first_row else [],
                "appointment_action": plan.action,
                "appointment_changes": plan.changes,
                "unchanged": plan.action == "unchanged" and (teacher.action == "unchanged" or not first_row)
                and not (first_row and teacher.skipped),
            })
        return result


def _chunks(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


class Matcher:
    def __init__(self, school, parser, today=None, user=None):
        self.school = school
        self.parser = parser
        self.today = today or date.today()
        self.user = user  # None: no access rules (commands and benches run as the system)

    def header(self, key):
        if key == "subjects":
            return self.parser.headers.get("subjects", "Предметы")
        return self.parser.header(key)

    def problem(self, problems, row, key, message, value=None):
        if value is None:
            raw = row.raw.get("fio" if key in ("last_name", "first_name", "middle_name") and "fio" in row.raw else key)
            value = "" if raw is None else display(raw)
        problems.append(Problem(row.number, self.header(key) if key else "", value, message))

    def plan(self, rows):
        problems = [p for row in rows for p in row.problems]
        valid = [row for row in rows if row.ok]
        groups = self._group(valid, problems)
        bad_rows = {p.row for p in problems}
        groups = [g for g in groups if not any(r.number in bad_rows for r in g.rows)]
        self._match(groups, problems)
        bad_rows = {p.row for p in problems}
        groups = [g for g in groups if not any(r.number in bad_rows for r in g.rows)]
        appointments = self._appointments(groups, problems)
        problems.sort(key=lambda p: (p.row or 0, _column_order(p.column, self.parser)))
        return ImportPlan(self.school, rows, problems, groups, appointments)

    # -- within the file -------------------------------------------------------------------------------------

    def _group(self, rows, problems):
        """One TeacherPlan per person in the file; conflicting or duplicated rows become problems."""
        snils_by_name = {}
        for row in rows:
            snils = row.teacher.get("snils")
            if snils:
                snils_by_name.setdefault(row.name_key, set()).add(snils)
        groups = {}
        first_row_of_snils = {}
        for row in rows:
            snils = row.teacher.get("snils")
            if snils:
                earlier = first_row_of_snils.get(snils)
                if earlier is not None and earlier.name_key != row.name_key:
                    self.problem(problems, row, "snils",
                                 f"этот СНИЛС уже указан в строке {earlier.number} для другого человека "
                                 f"(«{earlier.full_name}», {earlier.teacher['birth_date']:%d.%m.%Y})")
                    continue
                first_row_of_snils.setdefault(snils, row)
                key = ("snils", snils)
            else:
                known = snils_by_name.get(row.name_key, set())
                if len(known) > 1:
                    self.problem(problems, row, "snils",
                                 "в файле несколько человек с такими ФИО и датой рождения и разными СНИЛС — "
                                 "укажите СНИЛС и в этой строке", value="(пусто)")
                    continue
                key = ("snils", next(iter(known))) if known else ("name", row.name_key)
            group = groups.get(key)
            if group is None:
                groups[key] = TeacherPlan(rows=[row], values=dict(row.teacher), subjects=list(row.subjects))
                continue
            if not self._merge_into(group, row, problems):
                continue
            group.rows.append(row)
        # Same person and same position twice.
        for group in groups.values():
            seen = {}
            for row in list(group.rows):
                position = row.appointment.get("position")
                if position is None:
                    continue
                if position.pk in seen:
                    self.problem(problems, row, "position",
                                 f"повтор: этот педагог с этой должностью уже есть в строке {seen[position.pk]}"
                                 + (" (тот же СНИЛС)" if row.teacher.get("snils") else ""))
                    group.rows.remove(row)
                else:
                    seen[position.pk] = row.number
        return list(groups.values())

    def _merge_into(self, group, row, problems):
        conflicts = []
        for key, value in row.teacher.items():
            if key in group.values and not _same(key, group.values[key], value):
                first = group.rows[0]
                conflicts.append((key, f"расходится со строкой {first.number} (там «{show(key, group.values[key])}») "
                                       "— сведения об одном человеке должны совпадать"))
        for key, message in conflicts:
            self.problem(problems, row, key, message)
        if conflicts:
            return False
        for key, value in row.teacher.items():
            group.values.setdefault(key, value)
        for subject in row.subjects:
            if subject not in group.subjects:
                group.subjects.append(subject)
        return True

    # -- against the database --------------------------------------------------------------------------------

    def _match(self, groups, problems):
        snils_wanted = {g.values["snils"] for g in groups if g.values.get("snils")}
        by_snils = load_by_snils(snils_wanted, TEACHER_RELATED)
        by_name = load_by_name({g.values["birth_date"] for g in groups if g.values.get("snils") not in by_snils})
        wanted_ids = {}
        for group in groups:
            snils = group.values.get("snils")
            if snils and snils in by_snils:
                group.instance = by_snils[snils]
                group.matched_by = "snils"
                continue
            candidates = by_name.get(group.rows[0].name_key, [])
            row = group.rows[0]
            if snils:
                blank = [pk for pk, other in candidates if not other]
                if any(other and other != snils for _, other in candidates) and not blank:
                    self.problem(problems, row, "snils",
                                 "в базе уже есть педагог с такими ФИО и датой рождения, но с другим СНИЛС — "
                                 "проверьте номер")
                elif len(blank) > 1:
                    self.problem(problems, row, "fio" if "fio" in row.raw else "last_name",
                                 "в базе несколько педагогов с такими ФИО и датой рождения без СНИЛС — "
                                 "сообщите методисту, чтобы объединить записи")
                elif blank:
                    self._claim(wanted_ids, blank[0], group, problems)
            elif len(candidates) > 1:
                self.problem(problems, row, "snils",
                             "в базе несколько педагогов с такими ФИО и датой рождения — укажите СНИЛС, "
                             "чтобы выбрать нужного", value="(пусто)")
            elif candidates:
                self._claim(wanted_ids, candidates[0][0], group, problems)
        for chunk in _chunks(wanted_ids):
            for teacher in Teacher.objects.select_related(*TEACHER_RELATED).filter(pk__in=chunk):
                wanted_ids[teacher.pk].instance = teacher
                wanted_ids[teacher.pk].matched_by = "name"
        self._apply_access(groups, problems)
        matched = [g for g in groups if g.instance is not None]
        links = {}
        through = Teacher.subjects.through
        for chunk in _chunks([g.instance.pk for g in matched]):
            for link_id, teacher_id, subject_id in through.objects.filter(teacher_id__in=chunk).values_list(
                    "pk", "teacher_id", "subject_id"):
                links.setdefault(teacher_id, {})[subject_id] = link_id
        for group in groups:
            self._teacher_changes(group, links, problems)

    def _apply_access(self, groups, problems):
        """Mark people outside the importer's scope or kept by another school; refuse what may not be written."""
        if self.user is None:
            return
        from teachers import scoping

        ids = [g.instance.pk for g in groups if g.instance is not None]
        visible, kept = set(), set()
        for chunk in _chunks(ids):
            visible.update(scoping.scoped(self.user, Teacher.objects.filter(pk__in=chunk)).values_list("pk", flat=True))
            kept.update(scoping.kept_elsewhere_ids(self.user, chunk, self.today))
        for group in groups:
            teacher = group.instance
            if teacher is None:
                continue
            row = group.rows[0]
            if teacher.pk not in visible:
                if group.matched_by != "snils":
                    # A namesake outside the scope is not joined on ФИО and birth date alone.
                    self.problem(problems, row, "snils",
                                 "педагога с такими ФИО и датой рождения ведёт другая ОО — укажите СНИЛС, чтобы "
                                 "добавить ему должность в вашей ОО", value="(пусто)")
                elif row.name_key != name_key(teacher.last_name, teacher.first_name, teacher.middle_name,
                                              teacher.birth_date):
                    self.problem(problems, row, "snils",
                                 "этот СНИЛС указан в системе для человека с другими ФИО или датой рождения — "
                                 "проверьте номер; если он верный, обратитесь к методисту района")
                else:
                    group.outside = True
            if teacher.pk in kept:
                group.kept_elsewhere = True

    def _claim(self, wanted_ids, pk, group, problems):
        if pk in wanted_ids:
            other = wanted_ids[pk].rows[0]
            self.problem(problems, group.rows[0], "snils",
                         f"строки {other.number} и {group.rows[0].number} с разными СНИЛС указывают на одного и "
                         "того же педагога из базы (совпадают ФИО и дата рождения) — проверьте СНИЛС")
            return
        wanted_ids[pk] = group

    def _teacher_changes(self, group, links, problems):
        values = group.values
        row = group.rows[0]
        if group.instance is None:
            group.new_subjects = list(group.subjects)
            return
        teacher = group.instance
        if group.outside:
            return  # nothing of the person is compared, changed or shown
        group.existing_links = links.get(teacher.pk, {})
        merged = {key: getattr(teacher, key) for key in TEACHER_FIELDS}
        for key, value in values.items():
            merged[key] = value
            old = getattr(teacher, key)
            if key in NAME_PARTS and _same_name(old, value):
                merged[key] = old
                continue
            if not _same(key, old, value):
                group.changed_fields.append(key)
                group.changes.append(Change(key, LABELS[key], show(key, old), show(key, value)))
        group.new_subjects = [s for s in group.subjects if s.pk not in group.existing_links]
        if group.new_subjects:
            group.changes.append(Change("subjects", LABELS["subjects"], "",
                                        "добавятся: " + ", ".join(s.name for s in group.new_subjects)))
        if group.kept_elsewhere:
            # Another school keeps the person's data: the file's differences are shown, not written.
            group.skipped, group.changes, group.changed_fields, group.new_subjects = group.changes, [], [], []
            return
        # Rules that only the merged record can break (a file date against one already stored).
        reported = {(p.row, p.column) for p in problems}
        for key, message in date_problems(merged, {}, self.today):
            if key in values or _involves_file_value(key, values):
                if (row.number, self.header(key)) not in reported:
                    self.problem(problems, row, key, message + " (с учётом сведений, уже внесённых в базу)")

    def _appointments(self, groups, problems):
        matched_ids = [g.instance.pk for g in groups if g.instance is not None]
        existing = {}
        if matched_ids:
            for chunk in _chunks(matched_ids):
                for appointment in Appointment.objects.select_related("position").filter(
                        school=self.school, teacher_id__in=chunk):
                    existing.setdefault((appointment.teacher_id, appointment.position_id), []).append(appointment)
        at_school = {teacher_id for teacher_id, _ in existing}
        plans = []
        for group in groups:
            if group.instance is not None:
                group.at_school = group.instance.pk in at_school
                if not group.at_school:
                    # The person works elsewhere: the preview names the fields, not another school's values.
                    for change in group.changes:
                        if change.key != "subjects":
                            change.old = "…"
            for row in group.rows:
                values = dict(row.appointment)
                plan = AppointmentPlan(row=row, teacher=group, values=values)
                if group.instance is not None:
                    plan.instance = _pick_appointment(existing.get((group.instance.pk, values["position"].pk), []),
                                                      values.get("hired"))
                if plan.instance is None:
                    values.setdefault("employment", Employment.MAIN)
                else:
                    merged = {key: getattr(plan.instance, key) for key in APPOINTMENT_FIELDS}
                    for key, value in values.items():
                        merged[key] = value
                        if not _same(key, getattr(plan.instance, key), value):
                            plan.changed_fields.append(key)
                            plan.changes.append(Change(key, LABELS[key], show(key, getattr(plan.instance, key)),
                                                       show(key, value)))
                    if merged["dismissed"] and merged["dismissed"] < merged["hired"]:
                        self.problem(problems, row, "dismissed" if "dismissed" in values else "hired",
                                     f"дата увольнения ({merged['dismissed']:%d.%m.%Y}) окажется раньше даты приёма "
                                     f"({merged['hired']:%d.%m.%Y})")
                plans.append(plan)
        return plans


def _pick_appointment(candidates, hired):
    """Which stored position a row updates: same hire date; else the open one; else none if the row is a re-hire."""
    if not candidates:
        return None
    for appointment in candidates:
        if hired and appointment.hired == hired:
            return appointment
    open_ones = [a for a in candidates if a.dismissed is None]
    if open_ones:
        return max(open_ones, key=lambda a: a.hired)
    latest = max(candidates, key=lambda a: a.dismissed)
    if hired and hired > latest.dismissed:
        return None  # hired again after the last dismissal: a new position record
    return latest


def _same_name(old, new):
    """«СЕМЕНОВА» typed for a stored «Семёнова» is no change; «Семёнова» for a stored «Семенова» adds the «ё»."""
    if norm_key(old) != norm_key(new):
        return False
    return new.lower().count("ё") <= old.lower().count("ё")


def _involves_file_value(key, values):
    related = {
        "birth_date": ("birth_date",),
        "ped_experience_start": ("ped_experience_start", "total_experience_start", "birth_date"),
        "total_experience_start": ("total_experience_start", "birth_date"),
        "category_date": ("category_date", "category", "birth_date"),
    }
    return any(k in values for k in related.get(key, ()))


def _column_order(header, parser):
    for key, index in parser.columns.items():
        if parser.headers.get(key) == header:
            return index
    return 999 if header else -1

