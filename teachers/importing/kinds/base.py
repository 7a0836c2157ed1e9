"""The generic pipeline every non-staff import kind runs: rows → people → plan → bulk write.

A kind is a small declaration (see the sibling modules): its `ColumnSet`, the context it is imported into
(a campaign, an event, an association, a school, a municipality — or none), `parse` (one row's own values),
`key` (what identifies the record: an existing one is updated, a repeat within the file is an error),
`existing` (the stored records for those keys, in bulk) and `new` (the record a row creates). Reading,
person matching, access rules, the preview's outcomes, history records and ImportLog are done here once.

Policy (as for the staff list): a filled cell overwrites, an empty cell or a missing column leaves the stored
value alone, many-to-many values (deficit areas) are only added.
"""
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from teachers.models import Teacher
from teachers.signals import bulk_changed

from ..applier import insert_rows
from ..matcher import Change, show
from ..people import PeopleIndex, PersonRef, chunks
from ..rows import Problem
from ..values import BadValue, cell_reader, clean_text, display, parse_date, parse_name_part, parse_snils, split_fio

BATCH = 1000


@dataclass
class RecordRow:
    number: int
    raw: dict
    values: dict = field(default_factory=dict)
    many: dict = field(default_factory=dict)  # m2m field → [objects]
    people: dict = field(default_factory=dict)  # slot → PersonRef
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems


@dataclass
class PlanItem:
    row: RecordRow
    values: dict
    many: dict
    instance: object = None
    changes: list = field(default_factory=list)
    changed_fields: list = field(default_factory=list)
    new_links: dict = field(default_factory=dict)  # m2m field → [objects to add]
    saved: object = None

    @property
    def action(self):
        if self.instance is None:
            return "create"
        return "update" if (self.changed_fields or any(self.new_links.values())) else "unchanged"


@dataclass
class RecordPlan:
    kind: object
    target: object
    sheet: object
    rows: list
    problems: list
    items: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # what a kind prepares for its writer (course events)

    @property
    def ok(self):
        return not self.problems

    def counts(self):
        def count(action):
            return sum(1 for item in self.items if item.action == action)

        return {
            "rows": len(self.rows), "created": count("create"), "updated": count("update"),
            "rows_unchanged": count("unchanged"), "problems": len(self.problems),
            "rows_with_problems": len({p.row for p in self.problems if p.row}),
            **self.kind.extra_counts(self),
        }

    def outcomes(self):
        return [{
            "row": item.row.number, "name": self.kind.person_text(item), "what": self.kind.describe(item),
            "action": item.action, "changes": item.changes, "unchanged": item.action == "unchanged",
        } for item in self.items]


class Kind:
    """Base of the declarations. Subclasses set the class attributes and the hooks below."""

    code = ""
    title = ""
    description = ""
    columns = None  # ColumnSet
    model = None
    context = None  # None or a `Context`
    staff = False
    district_only = False  # methodologists and admins only (no per-school data in it)
    value_fields = ()  # the fields a row sets and an update compares
    many_field = None  # one m2m field, added to (never cleared)
    record_word = ("запись", "записи", "записей")  # for counts: one, few, many

    # -- declaration hooks ------------------------------------------------------------------------------------

    def references(self):
        """Lookups the rows need (loaded once per file)."""
        return None

    def parse(self, row, read, problem, refs, target):
        """Fill row.values (and row.many) from the row's cells."""

    def key(self, item, target):
        """What identifies the record a row writes (within the file and against the base)."""
        raise NotImplementedError

    def existing(self, items, target, plan):
        """{key: stored instance} for the keys of `items`."""
        return {}

    def new(self, item, target):
        return self.model(**item.values)

    def check(self, item, merged, problem):
        """Rules the merged record (stored values with the file's over them) must keep."""

    def describe(self, item):
        return ""

    def reference_lists(self):
        """{column key: [allowed values]} for the template's drop-downs."""
        return {}

    def instruction(self):
        """Lines for the template's «Инструкция»: [(label, text)]."""
        return []

    def extra_counts(self, plan):
        return {}

    def prepare(self, plan, target, user):
        """Hook after matching: bulk work a kind needs before `existing` (course events)."""

    def before_write(self, plan, user, reason, now):
        """Hook before records are written (course completions create their events here)."""

    def person_text(self, item):
        return " → ".join(ref.full_name or ref.snils for ref in item.row.people.values())

    def target_text(self, target):
        return str(target) if target is not None else ""

    def log_school(self, target, user):
        from teachers import scoping

        if scoping.is_school_head(user):
            return user.school
        return None

    # -- the pipeline ----------------------------------------------------------------------------------------

    def analyse(self, sheet, target, user=None, today=None):
        today = today or date.today()
        refs = self.references()
        rows = [self._parse_row(sheet, number, values, refs, target, today) for number, values in sheet.rows]
        problems = [p for row in rows for p in row.problems]
        plan = RecordPlan(self, target, sheet, rows, problems)
        # Every row's people are looked up, also in rows with other problems: the preview lists all of a row's
        # problems at once (a bad number and an unknown person), not the next one after each fix.
        self._match_people(sheet, rows, user, today, problems)
        valid = [row for row in rows if row.ok]
        items = [PlanItem(row, row.values, row.many) for row in valid]
        self.prepare(plan, target, user)
        # Repeats within the file.
        seen = {}
        unique = []
        for item in items:
            key = self.key(item, target)
            if key in seen:
                self._problem(sheet, item.row, problems, "", "повтор: та же запись уже есть в строке "
                              f"{seen[key]}")
                continue
            seen[key] = item.row.number
            item.key = key
            unique.append(item)
        stored = self.existing(unique, target, plan)
        self._links = self._load_links([obj.pk for obj in stored.values()]) if self.many_field else {}
        for item in unique:
            item.instance = stored.get(item.key)
            self._compare(sheet, item, problems)
        bad = {p.row for p in problems}
        plan.items = [item for item in unique if item.row.number not in bad]
        problems.sort(key=lambda p: (p.row or 0, _order(sheet, p.column)))
        return plan

    def _header(self, sheet, key):
        for slot in self.columns.persons:
            if key in self.columns.name_parts(slot) and f"{slot}fio" in sheet.headers:
                return sheet.headers[f"{slot}fio"]
        return sheet.headers.get(key) or self.columns.label(key)

    def _problem(self, sheet, row, problems, key, message, value=None):
        if value is None:
            raw = row.raw.get(key) if key else None
            for slot in self.columns.persons:
                if key in self.columns.name_parts(slot) and f"{slot}fio" in row.raw:
                    raw = row.raw.get(f"{slot}fio")
            value = display(raw) if raw is not None else ""
        problem = Problem(row.number, self._header(sheet, key) if key else "", value, message)
        row.problems.append(problem)
        problems.append(problem)

    def _parse_row(self, sheet, number, values, refs, target, today):
        row = RecordRow(number, {key: (values[index] if index < len(values) else None)
                                 for key, index in sheet.columns.items()})
        cells = row.raw

        def problem(key, message, value=None):
            self._problem(sheet, row, [], key, message, value)

        read = cell_reader(cells, problem)

        for slot in self.columns.persons:
            before = len(row.problems)
            row.people[slot] = self._person(slot, cells, read, problem, today)
            row.people[slot].bad = len(row.problems) > before  # not looked up: its own cells are wrong
        self.parse(row, read, problem, refs, target)
        for key in self.columns.by_key:
            column = self.columns.by_key[key]
            if column.required and key in cells and not clean_text(cells[key]) and not any(
                    p.column == self._header(sheet, key) for p in row.problems):
                problem(key, "не заполнено (обязательный столбец)")
        return row

    def _person(self, slot, cells, read, problem, today):
        ref = PersonRef()
        fio = f"{slot}fio"
        last_key, first_key, middle_key = self.columns.name_parts(slot)
        errors = []

        def note(key, message):
            errors.append(key)
            problem(key, message)

        if fio in cells:
            try:
                ref.last, ref.first, ref.middle = split_fio(cells[fio])
            except BadValue as exc:
                note(fio, str(exc))
        else:
            for key, attr, what in ((last_key, "last", "фамилия"), (first_key, "first", "имя"),
                                    (middle_key, "middle", "отчество")):
                if key in cells:
                    try:
                        setattr(ref, attr, parse_name_part(cells[key], what=what))
                    except BadValue as exc:
                        note(key, str(exc))
        birth_key, snils_key = f"{slot}birth_date", f"{slot}snils"
        ref.birth_date = read(birth_key, lambda v: parse_date(v, today=today))
        if birth_key in cells and ref.birth_date is not None and ref.birth_date > today:
            note(birth_key, "дата рождения в будущем")
        ref.snils = read(snils_key, parse_snils) or ""
        if not errors and not ref.snils and not (ref.last and ref.first and ref.birth_date):
            if not ref.last and not ref.first:
                note(fio if fio in cells else last_key, "не заполнено: нужны фамилия и имя (или СНИЛС)")
            elif not ref.first:
                note(fio if fio in cells else first_key, "не указано имя")
            elif birth_key not in cells or not clean_text(cells.get(birth_key)):
                note(birth_key if birth_key in cells else (fio if fio in cells else last_key),
                     "без СНИЛС педагог находится по ФИО и дате рождения — укажите дату рождения")
        return ref

    def _match_people(self, sheet, rows, user, today, problems):
        if not self.columns.persons:
            return
        index = PeopleIndex([ref for row in rows for ref in row.people.values() if not ref.bad], user=user,
                            today=today)
        for row in rows:
            for slot, ref in row.people.items():
                if ref.bad:
                    continue
                pk, reason = index.find(ref, need_held=self.needs_held(slot))
                if pk is None:
                    key = f"{slot}snils" if ref.snils and f"{slot}snils" in row.raw else (
                        f"{slot}fio" if f"{slot}fio" in row.raw else f"{slot}last_name")
                    self._problem(sheet, row, problems, key, reason)
                else:
                    row.values[self.person_field(slot)] = pk

    def needs_held(self, slot):
        """Must the user hold (be allowed to write the records of) the person in this slot?"""
        return True

    def person_field(self, slot):
        return "teacher_id"

    def _compare(self, sheet, item, problems):
        instance = item.instance
        if instance is None:
            item.new_links = {self.many_field: list(item.many.get(self.many_field, []))} if self.many_field else {}
            merged = dict(item.values)
        else:
            merged = {f: getattr(instance, f) for f in self.value_fields}
            for key in self.value_fields:
                if key not in item.values:
                    continue
                new, old = item.values[key], getattr(instance, key)
                merged[key] = new
                if getattr(old, "pk", old) != getattr(new, "pk", new):
                    item.changed_fields.append(key)
                    item.changes.append(Change(key, self.columns.label(self.field_column(key)),
                                               self.show(key, old), self.show(key, new)))
            if self.many_field and item.many.get(self.many_field):
                have = self._links.get(instance.pk, set())
                added = [obj for obj in item.many[self.many_field] if obj.pk not in have]
                item.new_links = {self.many_field: added}
                if added:
                    item.changes.append(Change(self.many_field, self.columns.label(self.many_field), "",
                                               "добавятся: " + ", ".join(str(a) for a in added)))

        def problem(key, message):
            self._problem(sheet, item.row, problems, key, message)

        self.check(item, merged, problem)

    def _load_links(self, ids):
        field_obj = self.model._meta.get_field(self.many_field)
        through = field_obj.remote_field.through
        own, other = field_obj.m2m_field_name(), field_obj.m2m_reverse_field_name()
        links = {}
        for chunk in chunks(ids):
            for owner_id, other_id in through.objects.filter(**{f"{own}_id__in": chunk}).values_list(
                    f"{own}_id", f"{other}_id"):
                links.setdefault(owner_id, set()).add(other_id)
        return links

    def show(self, key, value):
        """A value as the preview shows it: a choice by its label, dates and numbers the Russian way."""
        field_obj = self.model._meta.get_field(key)
        if field_obj.choices and value:
            return dict(field_obj.choices).get(value, value)
        return show(key, value)

    def field_column(self, field_name):
        """The column key a model field comes from (they are the same unless a kind says otherwise)."""
        return field_name

    # -- writing -------------------------------------------------------------------------------------------

    def write(self, plan, user, reason):
        now = timezone.now()
        reason = reason[:100]
        self.before_write(plan, user, reason, now)
        target = plan.target
        created = [item for item in plan.items if item.action == "create"]
        updated = [item for item in plan.items if item.action == "update"]
        new_objects = []
        for item in created:
            item.saved = self.new(item, target)
            self.derive(item.saved, item)
            new_objects.append(item.saved)
        history = []
        if new_objects:
            if self.many_field:
                self.model.objects.bulk_create(new_objects, batch_size=BATCH)
                history += self.model.history.bulk_history_create(
                    new_objects, batch_size=BATCH, default_user=user, default_change_reason=reason, default_date=now)
            else:
                bulk_create_with_history(new_objects, self.model, batch_size=BATCH, default_user=user,
                                         default_change_reason=reason, default_date=now)
        changed, fields = [], set()
        for item in updated:
            obj = item.saved = item.instance
            for key in item.changed_fields:
                setattr(obj, key, item.values[key])
                fields.add(key)
            fields.update(self.derive(obj, item))
            changed.append(obj)
        if changed:
            if self.many_field:
                if fields:
                    self.model.objects.bulk_update(changed, sorted(fields), batch_size=BATCH)
                history += self.model.history.bulk_history_create(
                    changed, batch_size=BATCH, update=True, default_user=user, default_change_reason=reason,
                    default_date=now)
            elif fields:
                bulk_update_with_history(changed, self.model, sorted(fields), batch_size=BATCH, default_user=user,
                                         default_change_reason=reason, default_date=now)
        if self.many_field:
            self._write_links(created + updated, history)
        bulk_changed.send(sender=self.model)
        if self.columns.persons:
            bulk_changed.send(sender=Teacher)

    def derive(self, obj, item):
        """Set fields derived from the row on a record about to be written; the names of those fields."""
        return ()

    def _write_links(self, items, history):
        """New m2m links, then a snapshot of every written record's links for its history row."""
        field_obj = self.model._meta.get_field(self.many_field)
        through = field_obj.remote_field.through
        own = field_obj.m2m_field_name()
        other = field_obj.m2m_reverse_field_name()
        insert_rows(through, (own, other), [
            (item.saved.pk, obj.pk) for item in items for obj in item.new_links.get(self.many_field, [])])
        ids = sorted({record.id for record in history})
        current = {}
        for chunk in chunks(ids):
            for link_id, owner_id, other_id in through.objects.filter(**{f"{own}_id__in": chunk}).values_list(
                    "pk", f"{own}_id", f"{other}_id"):
                current.setdefault(owner_id, []).append((link_id, other_id))
        snapshot = apps.get_model(self.model._meta.app_label,
                                  f"Historical{self.model.__name__}_{self.many_field}")
        insert_rows(snapshot, ("history", "id", own, other), [
            (record.pk, link_id, record.id, other_id)
            for record in history for link_id, other_id in current.get(record.id, ())])


def _order(sheet, header):
    for key, index in sheet.columns.items():
        if sheet.headers.get(key) == header:
            return index
    return 999 if header else -1


@dataclass
class Context:
    """What a kind is imported into, chosen on the upload page."""
    name: str  # form field name
    label: str  # «Диагностика»
    queryset: object  # callable(user) → the choices
    empty: str = "— выберите —"
    required: bool = True  # False: a row may name its own (the vacancies' «ОО» column)
    help: str = ""

    def choices(self, user):
        return self.queryset(user)
