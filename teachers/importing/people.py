"""Finding the people a file names: by СНИЛС, else by ФИО + birth date — shared by every import kind.

`PeopleIndex` loads every candidate in a handful of queries whose number does not grow with the rows
(IN-lists chunked), then answers row by row from memory. The staff import creates the people it does not
find; the other kinds only attach records to people already in the base and report the rest.
"""
from dataclasses import dataclass

from teachers.models import Teacher

from .values import norm_key

CHUNK = 2000


def chunks(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def name_key(last, first, middle, birth_date):
    """The same person written «Семёнова  Мария» or «СЕМЕНОВА мария» gives the same key."""
    return (norm_key(last), norm_key(first), norm_key(middle or ""), birth_date)


def load_by_snils(snils_wanted, related=()):
    """{snils: Teacher} for the numbers present in the base."""
    found = {}
    for chunk in chunks(snils_wanted):
        for teacher in Teacher.objects.select_related(*related).filter(snils__in=chunk):
            found[teacher.snils] = teacher
    return found


def load_by_name(births):
    """{name key: [(pk, snils)]} of the people born on any of `births`."""
    found = {}
    for chunk in chunks(births):
        candidates = Teacher.objects.filter(birth_date__in=chunk).values_list(
            "pk", "last_name", "first_name", "middle_name", "birth_date", "snils")
        for pk, last, first, middle, birth, snils in candidates:
            found.setdefault(name_key(last, first, middle, birth), []).append((pk, snils))
    return found


@dataclass
class PersonRef:
    """A person as one row names them (one slot of the row: the teacher, the mentor, the mentee)."""
    last: str = ""
    first: str = ""
    middle: str = ""
    birth_date: object = None
    snils: str = ""
    bad: bool = False  # the row's own cells for this person are wrong: not looked up

    @property
    def full_name(self):
        return " ".join(p for p in (self.last, self.first, self.middle) if p)

    @property
    def name_key(self):
        if not (self.last and self.first and self.birth_date):
            return None
        return name_key(self.last, self.first, self.middle, self.birth_date)


class PeopleIndex:
    """The people of the base a set of PersonRefs may mean, loaded at once; `find` answers one ref."""

    def __init__(self, refs, user=None, today=None):
        refs = list(refs)
        self.by_snils = load_by_snils({r.snils for r in refs if r.snils})
        births = {r.birth_date for r in refs if r.birth_date and r.snils not in self.by_snils}
        self.by_name = load_by_name(births)
        self.user = user
        ids = {t.pk for t in self.by_snils.values()} | {pk for c in self.by_name.values() for pk, _ in c}
        self.visible = self.held = None
        if user is not None:
            from teachers import scoping

            self.visible, self.held = set(), set()
            for chunk in chunks(ids):
                self.visible.update(scoping.scoped(user, Teacher.objects.filter(pk__in=chunk))
                                    .values_list("pk", flat=True))
                self.held.update(scoping.teachers_held(user, today).filter(pk__in=chunk)
                                 .values_list("pk", flat=True))
        self._ids = {}

    def find(self, ref, need_held=True):
        """(teacher id, None) or (None, the Russian reason the row cannot name this person)."""
        pk, problem = self._find(ref)
        if pk is None:
            return None, problem
        if self.visible is not None and pk not in self.visible:
            # Nothing of a person outside the user's scope is shown, not even that they exist.
            return None, "не найден среди педагогов, доступных вам (поиск по СНИЛС, иначе по ФИО и дате рождения)"
        if need_held and self.held is not None and pk not in self.held:
            return None, ("педагог сейчас не работает в вашей ОО — эту запись вносит ОО, где он работает, "
                          "или методист района")
        return pk, None

    def _find(self, ref):
        if ref.snils and ref.snils in self.by_snils:
            teacher = self.by_snils[ref.snils]
            if ref.name_key and ref.name_key != name_key(teacher.last_name, teacher.first_name, teacher.middle_name,
                                                         teacher.birth_date):
                if self.visible is None or teacher.pk in self.visible:
                    return None, "этот СНИЛС в базе принадлежит человеку с другими ФИО или датой рождения"
                return None, "не найден среди педагогов, доступных вам (поиск по СНИЛС, иначе по ФИО и дате рождения)"
            return teacher.pk, None
        if ref.name_key is None:
            if ref.snils:
                return None, "педагог с таким СНИЛС не найден; укажите также ФИО и дату рождения"
            return None, "укажите СНИЛС или ФИО и дату рождения, чтобы найти педагога"
        candidates = self.by_name.get(ref.name_key, [])
        if ref.snils:
            others = candidates
            candidates = [(pk, other) for pk, other in candidates if not other]
            if not candidates and any(self.visible is None or pk in self.visible for pk, _ in others):
                return None, ("в базе есть педагог с такими ФИО и датой рождения, но с другим СНИЛС — "
                              "проверьте номер")
        if not candidates:
            return None, ("не найден в базе (поиск по СНИЛС, иначе по ФИО и дате рождения) — сначала загрузите "
                          "штат или проверьте написание")
        if len(candidates) > 1:
            return None, "в базе несколько педагогов с такими ФИО и датой рождения — укажите СНИЛС"
        return candidates[0][0], None
