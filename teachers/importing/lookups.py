"""Reference values as people type them: «высшая», «Высшая категория», «1 кат.», «СЗД», «совм.».

A `Lookup` is built once per import from a reference table (one query) and
matches a typed value by, in order: the exact name or code (ignoring case, «ё»,
spaces and dots), a known abbreviation, and finally word prefixes — «англ. яз.»
finds «Английский язык», «нач. классы» finds «Начальные классы» — when exactly
one value fits. Nothing is guessed beyond that: an ambiguous or unknown value
is an error that lists what is allowed.
"""
import re

from teachers.models import EducationLevel, Employment, Position, QualificationCategory, Subject, Teacher

from .values import BadValue, clean_text, norm_key


def _key(text):
    text = norm_key(text)
    text = re.sub(r"[.,;:«»\"()]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _words(text):
    return re.split(r"[\s\-/]+", _key(text))


class Lookup:
    """Typed text → one option (a model instance or a choice value)."""

    def __init__(self, what, options, aliases=None, hint=None, expansions=None):
        # options: [(value, name, code)]; aliases: {typed: code}; expansions: {abbreviated word: full words}
        self.what = what
        self.hint = hint
        self.expansions = expansions or {}
        self.names = [name for _, name, _ in options]
        self._by_key = {}
        self._options = []
        by_code = {}
        for value, name, code in options:
            self._by_key[_key(name)] = value
            if code:
                self._by_key.setdefault(_key(code), value)
                by_code[code] = value
            self._options.append((value, _words(name)))
        for typed, code in (aliases or {}).items():
            if code in by_code:
                self._by_key.setdefault(_key(typed), by_code[code])
        self._cache = {}

    def allowed(self):
        return "; ".join(f"«{n}»" for n in self.names)

    def __call__(self, raw):
        text = clean_text(raw)
        if not text:
            return None
        try:
            result = self._cache[text]
        except KeyError:
            result = self._cache[text] = self._match(_key(text))
        if isinstance(result, BadValue):
            raise result
        return result

    def _match(self, key):
        if key in self._by_key:
            return self._by_key[key]
        if self.expansions:
            key = " ".join(self.expansions.get(word, word) for word in key.split(" "))
            if key in self._by_key:
                return self._by_key[key]
        typed = _words(key)
        fits = []
        for value, words in self._options:
            if len(typed) <= len(words) and all(w.startswith(t) for t, w in zip(typed, words)):
                fits.append(value)
        if len(fits) == 1:
            return fits[0]
        if len(fits) > 1:
            names = [n for (v, _), n in zip(self._options, self.names) if v in fits]
            return BadValue(f"неоднозначно: подходит {', '.join(f'«{n}»' for n in names)} — уточните")
        message = f"нет в справочнике «{self.what}»"
        if len(self.names) <= 4:
            return BadValue(f"{message}; допустимо: {self.allowed()}")
        if self.hint and self.hint[0](key):
            message += f"; {self.hint[1]}"
        return BadValue(f"{message} (см. лист «Справочники»)")


POSITION_ALIASES = {
    "учитель-предметник": "teacher", "преподаватель": "teacher",
    "учитель нач кл": "primary-teacher", "учитель начальной школы": "primary-teacher",
    "психолог": "psychologist", "педагог психолог": "psychologist",
    "соцпедагог": "social-pedagogue", "логопед": "speech-therapist", "дефектолог": "defectologist",
    "пдо": "additional-education", "педагог доп образования": "additional-education",
    "вожатый": "senior-counselor", "вожатая": "senior-counselor", "старшая вожатая": "senior-counselor",
    "советник по воспитанию": "advisor", "советник директора": "advisor",
    "преподаватель-организатор обж": "obzh-teacher", "педагог-организатор обж": "obzh-teacher",
    "библиотекарь": "librarian-teacher",
}

SUBJECT_ALIASES = {
    "русский": "russian", "рус яз": "russian", "литература": "literature", "лит-ра": "literature",
    "алгебра": "math", "геометрия": "math", "информатика и икт": "informatics", "икт": "informatics",
    "английский": "english", "немецкий": "german", "физкультура": "pe", "физ-ра": "pe", "физра": "pe",
    "обж": "obzr", "изо": "art", "нач кл": "primary", "начальная школа": "primary", "обществоведение": "social",
    "основы религиозных культур и светской этики": "orkse",
}

EDUCATION_ALIASES = {
    "высшее пед": "higher-ped", "впо пед": "higher-ped", "вп": "higher-ped",
    "высшее профессиональное педагогическое": "higher-ped", "высшее профессиональное непедагогическое": "higher",
    "высшее непед": "higher", "впо непед": "higher", "высшее не педагогическое": "higher",
    "спо пед": "spo-ped", "среднее специальное педагогическое": "spo-ped", "ср проф пед": "spo-ped",
    "среднее педагогическое": "spo-ped", "спо непед": "spo", "среднее специальное непедагогическое": "spo",
    "ср проф непед": "spo",
    "нет": "none", "без образования": "none", "среднее общее": "none",
}

CATEGORY_ALIASES = {
    "высшая категория": "highest", "высшая квалификационная категория": "highest", "высшая кв категория": "highest",
    "вкк": "highest", "в": "highest", "высш": "highest",
    "первая категория": "first", "первая квалификационная категория": "first", "1": "first", "i": "first",
    "1 категория": "first", "1 кат": "first", "1 кв категория": "first", "1кк": "first", "1 кк": "first",
    "i категория": "first", "1-я": "first", "1-я категория": "first",
    "сзд": "szd", "соответствие": "szd", "соотв": "szd", "соответствует занимаемой должности": "szd",
    "нет": "none", "нет категории": "none", "б/к": "none", "бк": "none", "без кат": "none", "не имеет": "none",
}

EMPLOYMENT_ALIASES = {
    "основной": Employment.MAIN, "основная": Employment.MAIN, "основное": Employment.MAIN,
    "осн": Employment.MAIN, "основное место работы": Employment.MAIN, "по основному месту работы": Employment.MAIN,
    "штатный": Employment.MAIN, "штатный работник": Employment.MAIN,
    "внешний": Employment.EXTERNAL, "внешнее совместительство": Employment.EXTERNAL,
    "совместитель": Employment.EXTERNAL, "совместительство": Employment.EXTERNAL, "совм": Employment.EXTERNAL,
    "внеш совм": Employment.EXTERNAL, "внешн совм": Employment.EXTERNAL, "внешний совм": Employment.EXTERNAL,
}

GENDER_ALIASES = {
    "ж": Teacher.Gender.FEMALE, "жен": Teacher.Gender.FEMALE, "женский": Teacher.Gender.FEMALE,
    "f": Teacher.Gender.FEMALE, "м": Teacher.Gender.MALE, "муж": Teacher.Gender.MALE,
    "мужской": Teacher.Gender.MALE, "m": Teacher.Gender.MALE,
}


def reference_options(model):
    return [(obj, obj.name, obj.code) for obj in model.objects.order_by("order", "name")]


def choice_lookup(what, choices, aliases):
    options = [(value, label, None) for value, label in choices]
    lookup = Lookup(what, options)
    for typed, value in aliases.items():
        lookup._by_key.setdefault(_key(typed), value)
    return lookup


class References:
    """Every reference table the import reads, loaded once (four small queries)."""

    def __init__(self):
        self.position = Lookup(
            "Должности", reference_options(Position), POSITION_ALIASES,
            hint=(lambda key: key.startswith("учитель "),
                  "для учителя-предметника укажите «учитель», а предмет — в столбце «Предметы»"),
        )
        self.subject = Lookup("Предметы", reference_options(Subject), SUBJECT_ALIASES)
        self.education = Lookup(
            "Образование", reference_options(EducationLevel), EDUCATION_ALIASES,
            hint=(lambda key: key.startswith(("среднее специальное", "высшее профессиональное")),
                  "уточните, педагогическое оно или нет, например «СПО педагогическое»"),
            expansions={"спо": "среднее профессиональное", "впо": "высшее", "ср": "среднее",
                        "специальное": "профессиональное", "спец": "профессиональное"},
        )
        self.category = Lookup("Категории", reference_options(QualificationCategory), CATEGORY_ALIASES)
        self.employment = choice_lookup("Вид занятости", Employment.choices, EMPLOYMENT_ALIASES)
        self.gender = choice_lookup("Пол", Teacher.Gender.choices, GENDER_ALIASES)

    def employment_value(self, raw):
        key = _key(clean_text(raw))
        if key.startswith("внутр"):
            raise BadValue(
                "внутреннее совместительство укажите как «основной работник» отдельной строкой с другой должностью"
            )
        return self.employment(raw)

    def subjects(self, raw):
        """«Математика, физика; информатика» → [Subject, …]; every unknown name is reported at once."""
        text = clean_text(raw)
        if not text:
            return []
        found, bad = [], []
        for part in re.split(r"[,;\n]+", text):
            part = part.strip()
            if not part:
                continue
            try:
                subject = self.subject(part)
            except BadValue as exc:
                bad.append(f"«{part}» — {exc}")
                continue
            if subject not in found:
                found.append(subject)
        if bad:
            raise BadValue("; ".join(bad))
        return found
