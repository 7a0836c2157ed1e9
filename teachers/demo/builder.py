"""Generates one municipality of demo data: schools, staff and three-plus years of their professional development.

`MunicipalityBuilder(plan, rng, refs).build()` plans everything in memory from one random.Random and writes it
with bulk_create, family by family (so no save() signals and no history rows: a demo is not an audit trail).
The district of seed 000 and every municipality of the region scale go through the same code, so the region has
the same kinds of records in the same proportions.

Dates: the data covers calendar years 2023–2026 up to DEMO_TODAY; every record is dated on or before it.
"""
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, timedelta

from teachers import models as m
from teachers.dates import add_years, full_years, is_young_specialist
from teachers.models.qualification import CategoryAssignment, EducationRecord, record_histories
from teachers.snils import snils_with_control

from . import data

DEMO_TODAY = date(2026, 11, 20)
WINDOW_START = date(2023, 1, 1)
YEARS = (2023, 2024, 2025, 2026)
BATCH_SIZE = 2000

# ---------------------------------------------------------------------------------------------------------------
# Proportions. Where they come from: issue 2 / the demo brief (categories ~30/30/20/20, young specialists 8–10 %,
# external part-timers ~5 %, diagnostics 35–60 % a year with deficits in 50–70 %, PD requests ~20 %, mentor
# coverage, ~25 vacancies and ~15 in the reserve per district); the shape of the staff follows the usual ОО-1
# (раздел 3) picture of a rural Kuban district: ~85 % women, mean age 45–48, most with higher pedagogical
# education. The rest are plausible assumptions — tune them here, nowhere else.
# ---------------------------------------------------------------------------------------------------------------
CLUSTER_SIZES = {"gymnasium": (55, 70), "umksh": (30, 40), "mksh": (12, 25)}  # current main staff of a school
DISTRICT_STAFF = (790, 810)        # the district's current main staff ("about 800 teachers")
URBAN_SIZE_FACTOR = 1.3            # schools of the region's city okrugs are bigger
REGION_CLUSTER_MIX = {True: {"gymnasium": 0.55, "umksh": 0.35, "mksh": 0.10},   # urban okrug
                      False: {"gymnasium": 0.15, "umksh": 0.47, "mksh": 0.38}}  # rural district
YOUNG_SHARE = 0.10                 # of current main staff: pedagogical experience under three years
RECENT_HIRE_SHARE = 0.08           # experienced teachers who moved to the school since 2023
TURNOVER_PER_YEAR = 0.05           # persons leaving a school a year (replaced by the hires above)
EXTERNAL_SHARE = 0.065             # external positions per main staff (~5 % active at any date)
EXTERNAL_FROM_OTHER_SCHOOL = 0.3   # of those, teachers whose main job is another school of the municipality
SECOND_POSITION_SHARE = 0.04       # main staff holding a second position at their school
NO_SNILS_SHARE = 0.08              # records still missing a СНИЛС (data-quality checks need some)

# Age of current experienced staff (the young specialists come on top): (from, to, weight).
AGE_BANDS = [(25, 29, 5), (30, 34, 8), (35, 39, 11), (40, 44, 14), (45, 49, 16), (50, 54, 15), (55, 59, 13),
             (60, 64, 10), (65, 70, 8)]
# Staff by subject group: (group, weight %, female share, subject sets with weights).
STAFF_PROFILES = [
    ("primary", 24, 0.98, [(("primary",), 5), (("primary", "kuban"), 3), (("primary", "orkse"), 2)]),
    ("russian", 11, 0.97, [(("russian", "literature"), 85), (("russian", "literature", "kuban"), 15)]),
    ("math", 10, 0.88, [(("math",), 6), (("math", "informatics"), 2), (("math", "physics"), 2)]),
    ("informatics", 2.5, 0.55, [(("informatics",), 6), (("informatics", "math"), 4)]),
    ("history", 6, 0.75, [(("history", "social"), 6), (("history", "social", "kuban"), 25),
                          (("history", "social", "orkse"), 15)]),
    ("geography", 2.5, 0.82, [(("geography",), 7), (("geography", "biology"), 3)]),
    ("biology", 3, 0.92, [(("biology",), 6), (("biology", "chemistry"), 4)]),
    ("chemistry", 2, 0.9, [(("chemistry",), 6), (("chemistry", "biology"), 4)]),
    ("physics", 2.5, 0.65, [(("physics",), 7), (("physics", "math"), 3)]),
    ("foreign", 7, 0.95, [(("english",), 8), (("german",), 1), (("english", "german"), 1)]),
    ("pe", 5, 0.4, [(("pe",), 8), (("pe", "obzr"), 2)]),
    ("obzr", 1.5, 0.15, [(("obzr",), 7), (("obzr", "pe"), 3)]),
    ("technology", 2.5, 0.5, [(("technology",), 8), (("technology", "art"), 2)]),
    ("arts", 3, 0.8, [(("music",), 4), (("art",), 4), (("music", "art"), 2)]),
    ("kuban", 1.5, 0.85, [(("kuban",), 6), (("kuban", "history"), 4)]),
    ("psychologists", 3, 0.95, [((), 1)]),
    ("social", 1.5, 0.97, [((), 1)]),
    ("speech", 2.5, 0.99, [((), 1)]),
    ("additional", 3, 0.6, [((), 1)]),
    ("upbringing", 2.5, 0.75, [((), 1)]),
    ("library", 0.8, 1.0, [((), 1)]),
]
SPECIALIST_GROUPS = {"psychologists", "social", "speech", "additional", "upbringing", "library"}
GROUP_POSITIONS = {
    "primary": [("primary-teacher", 1)], "obzr": [("obzh-teacher", 1)], "psychologists": [("psychologist", 1)],
    "social": [("social-pedagogue", 1)], "speech": [("speech-therapist", 4), ("defectologist", 1)],
    "additional": [("additional-education", 1)], "upbringing": [("advisor", 1), ("organizer", 1)],
    "library": [("librarian-teacher", 1)],
}
# Weekly hours: teachers 12–36 (18 = one rate); other staff work to a 36-, 20- or 18-hour norm.
POSITION_NORM = {"psychologist": 36, "social-pedagogue": 36, "advisor": 36, "organizer": 36,
                 "librarian-teacher": 36, "tutor": 36, "speech-therapist": 20, "defectologist": 20,
                 "additional-education": 18}
EDUCATION_WEIGHTS = {
    "gymnasium": [("higher-ped", 88), ("higher", 9), ("spo-ped", 2), ("spo", 1)],
    "umksh": [("higher-ped", 84), ("higher", 8), ("spo-ped", 6), ("spo", 2)],
    "mksh": [("higher-ped", 78), ("higher", 8), ("spo-ped", 11), ("spo", 3)],
}
# Qualification category by full years of pedagogical experience: weights for высшая, первая, СЗД, без.
CATEGORY_BY_EXPERIENCE = [(3, (0, 0, 8, 92)), (5, (0, 35, 30, 35)), (10, (12, 40, 28, 20)),
                          (20, (30, 34, 21, 15)), (999, (40, 30, 20, 10))]
CATEGORY_CODES = ("highest", "first", "szd", "none")
CLUSTER_CATEGORY_SHIFT = {"gymnasium": (1.25, 1, 0.9, 0.9), "umksh": (1, 1, 1, 1), "mksh": (0.75, 1, 1.2, 1.1)}
CLUSTER_ACTIVITY = {"gymnasium": 1.12, "umksh": 1.0, "mksh": 0.88}  # schools' PD activity relative to the mean

DIAGNOSTIC_PARTICIPATION = (0.38, 0.55)  # share of staff diagnosed in a year, per municipality-year
SECOND_CAMPAIGN = 0.12
DEFICIT_BASE = 0.6                       # adjusted by category, youth and cluster → 50–70 % of participants
ROUTE_FOR_DEFICITS = 0.85                # ИОМ for most teachers with deficits
ROUTE_WITHOUT_DIAGNOSTICS = 0.03         # per teacher-year (young specialists 0.2)
COURSE_RATE = 0.26                       # ПК roughly once in three years
RETRAINING_RATE = 0.012                  # ×8 for staff without pedagogical education
METHODICAL_RATE = 0.4                   # municipal seminars, labs, master-classes, webinars, conference
NETWORK_RATE = 0.16                      # «Движение вверх», «Я делаю так», «Я — наставник»
HIGH_NETWORK_RATE = 0.07                 # regional and federal network events
PUBLICATION_RATE = 0.06
SCHOOL_EVENT_RATE = 0.55                 # of the staff of a school holding its own event
RMO_MEMBERSHIP = 0.65                    # of subject teachers in their РМО
RMO_ATTENDANCE = 0.6
SCHOOL_MENTOR = 0.9                      # young specialists with a school mentor…
MUNICIPAL_MENTOR = 0.5                   # …and a municipal one (of those with a school mentor)
MENTORSHIP_MODEL_BY_YEAR = {2023: 0.70, 2024: 0.76, 2025: 0.80, 2026: 0.85}
VACANCIES_PER_800 = 25
RESERVE_PER_800 = 15
REQUEST_RATE = 0.2


def rand_date(rng, start, end):
    if end <= start:
        return start
    return start + timedelta(days=rng.randint(0, (end - start).days))


def weighted(rng, pairs):
    """Pick from [(value, weight), …]."""
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for value, w in pairs:
        x -= w
        if x < 0:
            return value
    return pairs[-1][0]


def feminine_surname(surname):
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    if surname.endswith(("ский", "цкий")):
        return surname[:-2] + "ая"
    if surname.endswith("ой"):
        return surname[:-2] + "ая"
    return surname


def snils_for(number):
    """A valid, unique-per-`number` СНИЛС: 9 digits spread by an affine bijection, plus the control sum."""
    return snils_with_control(f"{(number * 282_475_249 + 123_456_789) % 900_000_000 + 100_000_000:09d}")


class Refs:
    """Reference rows by code (fixtures/reference.json), looked up once."""

    def __init__(self):
        def codes(model):
            return dict(model.objects.values_list("code", "pk"))

        self.cluster = codes(m.Cluster)
        self.position = codes(m.Position)
        self.subject = codes(m.Subject)
        self.education = codes(m.EducationLevel)
        self.category = codes(m.QualificationCategory)
        self.deficit = codes(m.DeficitArea)
        self.event_kind = codes(m.EventKind)
        self.event_level = codes(m.EventLevel)
        self.association_kind = codes(m.AssociationKind)
        self.subject_names = dict(m.Subject.objects.values_list("code", "name"))
        self.deficit_names = dict(m.DeficitArea.objects.values_list("code", "name"))


@dataclass
class SchoolPlan:
    short_name: str
    full_name: str
    cluster: str
    size: int
    address: str
    email: str


@dataclass
class MunicipalityPlan:
    name: str
    short_name: str
    region: str
    office_name: str
    office_head: str
    place: str
    methodical_centre: str
    schools: list
    snils_offset: int


@dataclass(eq=False)
class Person:
    """A teacher being planned: the unsaved Teacher plus what the generator needs to know about them."""

    teacher: m.Teacher
    group: str
    school: int | None                 # index of the main school; None for outside external part-timers
    appointments: list = field(default_factory=list)  # unsaved Appointment objects (school index in .plan_school)
    first: date | None = None          # first day in any position
    last: date | None = None           # last day (None: still working)
    category: str = "none"
    outsider: bool = False

    def close(self):
        self.first = min(a.hired for a in self.appointments)
        ends = [a.dismissed for a in self.appointments]
        self.last = None if any(e is None for e in ends) else max(ends)

    def active_on(self, d):
        return self.first <= d and (self.last is None or d <= self.last)

    def present_in(self, start, end):
        return self.first <= end and (self.last is None or self.last >= start)

    def ped_years(self, on):
        return full_years(self.teacher.ped_experience_start, on)

    def young_on(self, on):
        return is_young_specialist(self.teacher.ped_experience_start, on)


@dataclass(eq=False)
class EventPlan:
    event: m.Event
    category: str      # course, retraining, methodical, network, high_network, publication, contest, rmo, tutor, school
    areas: tuple = ()
    group: str | None = None
    audience: str = ""
    size: int = 0
    school: int | None = None
    association: object = None  # AssociationPlan for meetings


@dataclass(eq=False)
class AssociationPlan:
    association: m.Association
    groups: tuple = ()
    memberships: list = field(default_factory=list)  # (person, Membership)


class MunicipalityBuilder:
    def __init__(self, plan, rng, refs):
        self.plan = plan
        self.rng = rng
        self.refs = refs
        self.persons = []
        self.schools = []
        self.school_factor = []
        self.events = []
        self.associations = []
        self.participations = {}   # (id(event plan), id(person)) -> Participation
        self.results_by_person_year = {}
        self.counter = 0
        self.pedagogical_levels = {refs.education["higher-ped"], refs.education["spo-ped"]}

    # -- orchestration ---------------------------------------------------------------------------------------------
    def build(self):
        self._municipality()
        self._schools()
        self._staff()
        self._save_staff()
        self._associations()
        self._events()
        self._diagnostics()
        routes = self._routes()
        self._event_participations()
        self._teacher_participations()
        self._save_participations_and_activities(routes)
        self._mentorships()
        self._mentorship_models()
        self._vacancies()
        self._reserve()
        self._requests()
        return self.municipality

    def _bulk(self, model, objects):
        if objects:
            model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        return objects

    # -- people's names ---------------------------------------------------------------------------------------------
    def _name(self, female, birth_year):
        rng = self.rng
        if birth_year < 1966:
            first_pool = data.FEMALE_NAMES_OLD if female else data.MALE_NAMES_OLD
        elif birth_year < 1988:
            first_pool = data.FEMALE_NAMES_MID if female else data.MALE_NAMES_MID
        else:
            first_pool = data.FEMALE_NAMES_YOUNG if female else data.MALE_NAMES_YOUNG
        father_year = birth_year - 27
        father_pool = data.MALE_NAMES_OLD if father_year < 1950 else data.MALE_NAMES_MID
        father = rng.choice([n for n in father_pool if n in data.PATRONYMICS])
        family = weighted(rng, [(data.SURNAMES_RUSSIAN, 62), (data.SURNAMES_UKRAINIAN, 28), (data.SURNAMES_SKIY, 4),
                                (data.SURNAMES_ARMENIAN, 3), (data.SURNAMES_OY, 1)])
        surname = rng.choice(family)
        if female:
            surname = feminine_surname(surname)
        return surname, rng.choice(first_pool), data.PATRONYMICS[father][1 if female else 0]

    def _full_name(self, female, birth_year):
        return " ".join(self._name(female, birth_year))

    # -- municipality and schools ----------------------------------------------------------------------------------
    def _municipality(self):
        p = self.plan
        self.municipality = m.Municipality.objects.create(
            name=p.name, short_name=p.short_name, region=p.region, office_name=p.office_name,
            office_head=p.office_head, place=p.place,
        )

    def _schools(self):
        objs = []
        for sp in self.plan.schools:
            female = self.rng.random() < 0.72
            objs.append(m.School(
                full_name=sp.full_name, short_name=sp.short_name, municipality=self.municipality,
                cluster_id=self.refs.cluster[sp.cluster],
                head_name=self._full_name(female, self.rng.randint(1962, 1985)),
                address=sp.address, email=sp.email,
            ))
            self.school_factor.append(self.rng.uniform(0.75, 1.25) * CLUSTER_ACTIVITY[sp.cluster])
        self.schools = self._bulk(m.School, objs)

    # -- staff -----------------------------------------------------------------------------------------------------
    def _staff(self):
        for index, sp in enumerate(self.plan.schools):
            self._school_staff(index, sp)
        for index, sp in enumerate(self.plan.schools):
            self._external_part_timers(index, sp)
        for person in self.persons:
            person.close()
        self.by_school = {}
        for person in self.persons:
            if person.school is not None:
                self.by_school.setdefault(person.school, []).append(person)

    def _school_staff(self, index, sp):
        rng = self.rng
        first_new = len(self.persons)
        for _ in range(sp.size):
            r = rng.random()
            if r < YOUNG_SHARE:
                self._young_teacher(index, sp)
            else:
                self._experienced_teacher(index, sp, recent=r < YOUNG_SHARE + RECENT_HIRE_SHARE)
        years = (DEMO_TODAY - WINDOW_START).days / 365.25
        for _ in range(round(sp.size * TURNOVER_PER_YEAR * years * rng.uniform(0.7, 1.3))):
            self._dismissed_teacher(index, sp)
        for person in self.persons[first_new:]:
            if rng.random() < SECOND_POSITION_SHARE:
                self._second_position(person, sp)

    def _profile(self, cluster):
        weights = []
        for profile in STAFF_PROFILES:
            w = profile[1]
            if cluster == "mksh" and profile[0] in SPECIALIST_GROUPS:
                w *= 0.5
            weights.append((profile, w))
        return weighted(self.rng, weights)

    def _new_teacher(self, profile, cluster, birth, ped_start, total_start, category_on, education=None):
        rng = self.rng
        group, _, female_share, subject_sets = profile
        female = rng.random() < female_share
        last, first, middle = self._name(female, birth.year)
        education = education or weighted(rng, EDUCATION_WEIGHTS[cluster])
        ped_years = full_years(ped_start, category_on)
        category, category_date = self._category(ped_years, ped_start, category_on, cluster)
        self.counter += 1
        snils = "" if rng.random() < NO_SNILS_SHARE else snils_for(self.plan.snils_offset + self.counter)
        teacher = m.Teacher(
            last_name=last, first_name=first, middle_name=middle, gender="f" if female else "m",
            birth_date=birth, snils=snils, education_level_id=self.refs.education[education],
            category_id=self.refs.category[category], category_date=category_date,
            ped_experience_start=ped_start, total_experience_start=total_start,
        )
        teacher._subject_codes = weighted(rng, subject_sets)
        return teacher, category

    def _category(self, ped_years, ped_start, on, cluster):
        rng = self.rng
        weights = next(w for limit, w in CATEGORY_BY_EXPERIENCE if ped_years < limit)
        shift = CLUSTER_CATEGORY_SHIFT[cluster]
        code = weighted(rng, [(c, w * s) for c, w, s in zip(CATEGORY_CODES, weights, shift)])
        if code == "none":
            return code, None
        # A category is valid five years; the attestation came at least two years into the job.
        earliest = max(add_years(ped_start, 2), add_years(on, -5) + timedelta(days=30))
        latest = on - timedelta(days=10)
        if earliest > latest:
            return "none", None
        return code, rand_date(rng, earliest, latest)

    def _position_for(self, group):
        return weighted(self.rng, GROUP_POSITIONS.get(group, [("teacher", 1)]))

    def _load(self, position, cluster, second=False):
        """(weekly hours, rate) of one appointment."""
        rng = self.rng
        if second:
            hours = rng.randint(4, 9)
            return hours, round(hours / POSITION_NORM.get(position, 18), 2)
        norm = POSITION_NORM.get(position)
        if norm:
            rate = weighted(rng, [(0.5, 1), (0.75, 1), (1.0, 5), (1.25, 1)] if norm < 36 else
                            [(0.5, 1), (0.75, 1), (1.0, 6)])
            hours = norm * rate
            if hours < 12:
                rate, hours = 1.0, norm
            return hours, round(rate, 2)
        low, mode = (18, 28) if cluster == "mksh" else (14, 24)
        hours = round(rng.triangular(low, 36, mode))
        return hours, round(hours / 18, 2)

    def _appoint(self, person, school_index, position, hired, dismissed=None, employment=m.Employment.MAIN,
                 second=False):
        cluster = self.plan.schools[school_index].cluster
        hours, rate = self._load(position, cluster, second=second or employment == m.Employment.EXTERNAL)
        if employment == m.Employment.EXTERNAL:
            hours = self.rng.randint(4, 12)
            rate = round(hours / POSITION_NORM.get(position, 18), 2)
        appointment = m.Appointment(
            position_id=self.refs.position[position], employment=employment, weekly_hours=hours, rate=rate,
            hired=hired, dismissed=dismissed,
        )
        appointment.plan_school = school_index
        person.appointments.append(appointment)
        return appointment

    def _add_person(self, teacher, category, group, school_index, outsider=False):
        person = Person(teacher=teacher, group=group, school=school_index, category=category, outsider=outsider)
        self.persons.append(person)
        return person

    def _young_teacher(self, index, sp):
        """Pedagogical experience under three years on DEMO_TODAY: mostly graduates hired on 1 September."""
        rng = self.rng
        profile = self._profile(sp.cluster)
        if rng.random() < 0.85:
            year = weighted(rng, [(2024, 33), (2025, 33), (2026, 34)])
            ped_start = date(year, 8, 25) + timedelta(days=rng.randint(0, 20))
        else:
            ped_start = rand_date(rng, add_years(DEMO_TODAY, -3) + timedelta(days=1), DEMO_TODAY - timedelta(days=30))
        kind = weighted(rng, [("graduate", 70), ("college", 15), ("career", 15)])
        start_age = {"graduate": rng.randint(22, 24), "college": rng.randint(21, 22),
                     "career": rng.randint(27, 42)}[kind]
        birth = add_years(ped_start, -start_age) - timedelta(days=rng.randint(0, 364))
        education = {"graduate": None, "college": "spo-ped", "career": "higher"}[kind]
        if kind == "career":
            total_start = add_years(birth, rng.randint(21, 23))
        elif rng.random() < 0.3:
            total_start = max(add_years(ped_start, -rng.randint(1, 2)), add_years(birth, 18))
        else:
            total_start = ped_start
        teacher, category = self._new_teacher(profile, sp.cluster, birth, ped_start, total_start, DEMO_TODAY,
                                              education=education)
        person = self._add_person(teacher, category, profile[0], index)
        self._appoint(person, index, self._position_for(profile[0]), ped_start)

    def _career_start(self, birth, latest):
        """When an experienced teacher started teaching (no later than `latest`)."""
        rng = self.rng
        kind = weighted(rng, [("college", 12), ("graduate", 70), ("career", 18)])
        age = {"college": rng.randint(19, 20), "graduate": rng.randint(21, 24), "career": rng.randint(25, 45)}[kind]
        ped_start = add_years(birth, age) + timedelta(days=rng.randint(0, 300))
        if ped_start > latest:
            ped_start = latest - timedelta(days=rng.randint(0, 1500))
        ped_start = max(ped_start, add_years(birth, 19))
        if kind == "career":
            total_start = add_years(birth, rng.randint(21, 23))
        elif rng.random() < 0.35:
            total_start = max(ped_start - timedelta(days=rng.randint(100, 2000)), add_years(birth, 17))
        else:
            total_start = ped_start
        # Many who started after a pedagogical college have since graduated by correspondence.
        education = weighted(rng, [("spo-ped", 1), ("higher-ped", 1)]) if kind == "college" else None
        return ped_start, min(total_start, ped_start), education

    def _experienced_teacher(self, index, sp, recent):
        rng = self.rng
        profile = self._profile(sp.cluster)
        low, high = weighted(rng, [((a, b), w) for a, b, w in AGE_BANDS])
        age = rng.randint(low, high)
        birth = add_years(DEMO_TODAY, -age) - timedelta(days=rng.randint(1, 364))
        latest_start = add_years(DEMO_TODAY, -3) - timedelta(days=1)
        ped_start, total_start, education = self._career_start(birth, latest_start)
        if recent:
            hired = weighted(rng, [(date(y, 8, 20) + timedelta(days=rng.randint(0, 25)), 1) for y in YEARS])
            if rng.random() < 0.4:
                hired = rand_date(rng, WINDOW_START, DEMO_TODAY - timedelta(days=20))
            hired = min(max(hired, ped_start), DEMO_TODAY - timedelta(days=5))
        elif rng.random() < 0.45 or ped_start >= WINDOW_START:
            hired = ped_start
        else:
            hired = rand_date(rng, ped_start, WINDOW_START - timedelta(days=1))
        teacher, category = self._new_teacher(profile, sp.cluster, birth, ped_start, total_start, DEMO_TODAY,
                                              education=education)
        person = self._add_person(teacher, category, profile[0], index)
        self._appoint(person, index, self._position_for(profile[0]), hired)

    def _dismissal_date(self):
        rng = self.rng
        if rng.random() < 0.6:
            year = rng.choice([y for y in YEARS])
            return min(date(year, 6, 20) + timedelta(days=rng.randint(0, 70)), DEMO_TODAY - timedelta(days=3))
        return rand_date(rng, WINDOW_START + timedelta(days=10), DEMO_TODAY - timedelta(days=3))

    def _dismissed_teacher(self, index, sp):
        """Someone who left the school during the window: a retiree, a teacher who moved, or a young one."""
        rng = self.rng
        profile = self._profile(sp.cluster)
        dismissed = self._dismissal_date()
        kind = weighted(rng, [("retiree", 45), ("mover", 30), ("young", 25)])
        if kind == "young":
            hired = rand_date(rng, date(2021, 8, 25), dismissed - timedelta(days=120))
            ped_start = hired
            birth = add_years(ped_start, -rng.randint(22, 25)) - timedelta(days=rng.randint(0, 364))
            total_start = ped_start
            education = None
        else:
            age = rng.randint(58, 72) if kind == "retiree" else rng.randint(28, 55)
            birth = add_years(dismissed, -age) - timedelta(days=rng.randint(1, 364))
            ped_start, total_start, education = self._career_start(birth, add_years(dismissed, -2))
            years_here = rng.randint(2, 25 if kind == "retiree" else 12)
            hired = max(ped_start, add_years(dismissed, -years_here))
        teacher, category = self._new_teacher(profile, sp.cluster, birth, ped_start, total_start, dismissed,
                                              education=education)
        person = self._add_person(teacher, category, profile[0], index)
        self._appoint(person, index, self._position_for(profile[0]), hired, dismissed=dismissed)

    def _second_position(self, person, sp):
        """A second position at the same school (внутреннее совместительство), within the main one."""
        rng = self.rng
        main = person.appointments[0]
        position = weighted(rng, [("additional-education", 6), ("organizer", 1.5), ("tutor", 1.5),
                                  ("librarian-teacher", 1)])
        hired = max(main.hired, rand_date(rng, date(2018, 9, 1), DEMO_TODAY - timedelta(days=60)))
        if main.dismissed and hired > main.dismissed:
            hired = main.hired
        dismissed = main.dismissed
        if dismissed is None and rng.random() < 0.2:
            dismissed = rand_date(rng, max(hired, WINDOW_START), DEMO_TODAY - timedelta(days=1))
        if main.weekly_hours and main.weekly_hours > 27:
            main.weekly_hours = 27
            main.rate = round(27 / 18, 2) if main.rate and main.rate > 1.5 else main.rate
        self._appoint(person, person.school, position, hired, dismissed=dismissed, second=True)

    def _external_part_timers(self, index, sp):
        """Внешние совместители: mostly people from outside the schools, some teachers of another school."""
        rng = self.rng
        expected = sp.size * EXTERNAL_SHARE * rng.uniform(0.5, 1.5)
        count = int(expected) + (rng.random() < expected % 1)  # small schools get one now and then
        others = [p for p in self.persons
                  if p.school is not None and p.school != index and p.group not in SPECIALIST_GROUPS
                  and p.group != "primary" and p.appointments[0].dismissed is None]
        for _ in range(count):
            if others and rng.random() < EXTERNAL_FROM_OTHER_SCHOOL:
                person = rng.choice(others)
                main = person.appointments[0]
                hired = max(main.hired, rand_date(rng, date(2019, 9, 1), DEMO_TODAY - timedelta(days=30)))
                dismissed = None
                if rng.random() < 0.2 and hired < DEMO_TODAY - timedelta(days=40):
                    dismissed = rand_date(rng, max(hired, WINDOW_START), DEMO_TODAY - timedelta(days=1))
                position = "obzh-teacher" if person.group == "obzr" else "teacher"
                self._appoint(person, index, position, hired, dismissed=dismissed, employment=m.Employment.EXTERNAL)
                continue
            self._outsider(index, sp)

    def _outsider(self, index, sp):
        rng = self.rng
        group = weighted(rng, [("pe", 3), ("informatics", 2), ("technology", 1), ("arts", 2), ("foreign", 2),
                               ("additional", 3), ("obzr", 1), ("math", 1)])
        profile = next(p for p in STAFF_PROFILES if p[0] == group)
        hired = rand_date(rng, date(2016, 9, 1), DEMO_TODAY - timedelta(days=30))
        birth = add_years(hired, -rng.randint(24, 60)) - timedelta(days=rng.randint(0, 364))
        ped_start = max(add_years(birth, 21), hired - timedelta(days=rng.randint(0, 2500)))
        total_start = add_years(birth, rng.randint(18, 21))
        education = weighted(rng, [("higher", 50), ("higher-ped", 35), ("spo", 15)])
        teacher, category = self._new_teacher(profile, sp.cluster, birth, ped_start, min(total_start, ped_start),
                                              DEMO_TODAY, education=education)
        dismissed = None
        if rng.random() < 0.25 and hired < DEMO_TODAY - timedelta(days=60):
            dismissed = rand_date(rng, max(hired, WINDOW_START), DEMO_TODAY - timedelta(days=1))
        person = self._add_person(teacher, category, group, None, outsider=True)
        position = "additional-education" if group == "additional" else self._position_for(group)
        self._appoint(person, index, position, hired, dismissed=dismissed, employment=m.Employment.EXTERNAL)

    def _save_staff(self):
        teachers = [p.teacher for p in self.persons]
        wanted = [t.snils for t in teachers if t.snils]
        taken = set()
        for start in range(0, len(wanted), 500):  # a person entered by hand may already hold a generated number
            taken.update(m.Teacher.objects.filter(snils__in=wanted[start:start + 500]).values_list("snils", flat=True))
        for t in teachers:
            if t.snils in taken:
                t.snils = ""
        self._bulk(m.Teacher, teachers)
        self._histories(teachers)
        through = m.Teacher.subjects.through
        subject_rows = [through(teacher_id=t.pk, subject_id=self.refs.subject[code])
                        for t in teachers for code in t._subject_codes]
        self._bulk(through, subject_rows)
        appointments = []
        for p in self.persons:
            for a in p.appointments:
                a.teacher_id = p.teacher.pk
                a.school_id = self.schools[a.plan_school].pk
                appointments.append(a)
        self._bulk(m.Appointment, appointments)

    # Where a person's category and education were before their current ones (so past years have their own numbers).
    PREVIOUS_CATEGORY = {"highest": [("first", 7), ("highest", 3)], "first": [("first", 4), ("szd", 3), (None, 3)],
                         "szd": [("szd", 5), (None, 5)]}
    LATE_HIGHER_EDUCATION = 0.08  # of those with higher education: finished it (after college) within the window

    def _histories(self, teachers):
        """The current category and education as dated histories, plus what came before: the previous
        attestation five years earlier, and a college diploma before a recent university one."""
        rng = self.rng
        record_histories(teachers, today=DEMO_TODAY)
        codes = {pk: code for code, pk in self.refs.category.items()}
        earlier, diplomas = [], []
        for t in teachers:
            code = codes.get(t.category_id)
            if t.category_date and code in self.PREVIOUS_CATEGORY:
                before = add_years(t.category_date, -5) - timedelta(days=rng.randint(0, 40))
                previous = weighted(rng, self.PREVIOUS_CATEGORY[code])
                if previous and t.ped_experience_start and before >= add_years(t.ped_experience_start, 2):
                    earlier.append(CategoryAssignment(teacher_id=t.pk, category_id=self.refs.category[previous],
                                                      assigned_on=before, valid_until=add_years(before, 5)
                                                      - timedelta(days=1)))
            if (t.education_level_id in (self.refs.education["higher-ped"], self.refs.education["higher"])
                    and t.birth_date.year >= 1985 and rng.random() < self.LATE_HIGHER_EDUCATION):
                diplomas.append(EducationRecord(teacher_id=t.pk, level_id=t.education_level_id,
                                                since=rand_date(rng, WINDOW_START, DEMO_TODAY - timedelta(days=60))))
        self._bulk(CategoryAssignment, earlier)
        if diplomas:
            # Before the diploma: a pedagogical college.
            EducationRecord.objects.filter(teacher_id__in=[d.teacher_id for d in diplomas], since__isnull=True).update(
                level_id=self.refs.education["spo-ped"])
            self._bulk(EducationRecord, diplomas)

    # -- associations ----------------------------------------------------------------------------------------------
    def _associations(self):
        rng = self.rng
        main = [p for p in self.persons if not p.outsider]
        by_group = {}
        for p in main:
            by_group.setdefault(p.group, []).append(p)
        plans = []
        for code, genitive, subjects, _ in data.SUBJECT_GROUPS:
            people = by_group.get(code, [])
            if len(people) < 3:
                continue
            association = m.Association(
                name=f"РМО {genitive}", kind_id=self.refs.association_kind["rmo"], municipality=self.municipality,
                subject_id=self.refs.subject[subjects[0]] if subjects else None,
            )
            plan = AssociationPlan(association, groups=(code,))
            self._staff_association(plan, people, RMO_MEMBERSHIP, tutors=max(1, len(people) // 25),
                                    experts=1 + len(people) // 40)
            plans.append(plan)
        self.rmos = list(plans)
        # The tutors' club: РМО tutors plus experienced teachers who act as municipal mentors.
        club = AssociationPlan(m.Association(
            name="Тьюторский клуб «Наставник»", kind_id=self.refs.association_kind["tutor-club"],
            municipality=self.municipality,
        ))
        tutors = [p for plan in plans for p, ms in plan.memberships if ms.role == m.Membership.Role.TUTOR]
        experienced = [p for p in main if p.last is None and p.ped_years(DEMO_TODAY) >= 12
                       and p.category in ("highest", "first") and p not in tutors]
        extra = rng.sample(experienced, min(len(experienced), max(4, len(main) // 60)))
        leader = extra[0] if extra else None
        for person in ([leader] if leader else []) + tutors + extra[1:]:
            role = (m.Membership.Role.LEADER if person is leader else
                    m.Membership.Role.TUTOR if person in tutors else m.Membership.Role.MEMBER)
            self._member(club, person, role)
        plans.append(club)
        self.tutor_club = club
        # The young teachers' association (seed 000: «Ассоциация молодых специалистов»).
        community = AssociationPlan(m.Association(
            name="Ассоциация молодых педагогов", kind_id=self.refs.association_kind["community"],
            municipality=self.municipality,
        ))
        young = [p for p in main if p.teacher.ped_experience_start >= date(2020, 9, 1)]
        seniors = [p for p in main if 3 <= p.ped_years(DEMO_TODAY) <= 7 and p.last is None]
        if seniors:
            self._member(community, rng.choice(seniors), m.Membership.Role.LEADER)
        for person in young:
            if rng.random() < 0.6:
                self._member(community, person, m.Membership.Role.MEMBER, young_period=True)
        plans.append(community)
        self.community = community
        plans.extend(self._school_associations(main))
        self._bulk(m.Association, [plan.association for plan in plans])
        memberships = []
        for plan in plans:
            for person, ms in plan.memberships:
                ms.association_id = plan.association.pk
                ms.teacher_id = person.teacher.pk
                memberships.append(ms)
        self._bulk(m.Membership, memberships)
        self.associations = plans

    def _member(self, plan, person, role, young_period=False):
        rng = self.rng
        year = rng.randint(2018, 2023)
        start = max(person.first, date(year, 9, 1)) + timedelta(days=rng.randint(0, 20))
        if start > DEMO_TODAY:
            return
        end = person.last
        if young_period:
            aged_out = add_years(person.teacher.ped_experience_start, 3)
            if aged_out <= DEMO_TODAY:
                end = min(end, aged_out) if end else aged_out
        if end is not None and end < start:
            return
        plan.memberships.append((person, m.Membership(role=role, start=start, end=end)))

    def _staff_association(self, plan, people, share, tutors=0, experts=0):
        """Leader, tutors and experts from the experienced, members from the rest."""
        rng = self.rng
        senior = [p for p in people if p.last is None and p.ped_years(DEMO_TODAY) >= 10
                  and p.category in ("highest", "first")]
        rng.shuffle(senior)
        leader = senior[:1]
        chosen_tutors = senior[1:1 + tutors]
        chosen_experts = senior[1 + tutors:1 + tutors + experts]
        special = set(map(id, leader + chosen_tutors + chosen_experts))
        for person in leader:
            self._member(plan, person, m.Membership.Role.LEADER)
        for person in chosen_tutors:
            self._member(plan, person, m.Membership.Role.TUTOR)
        for person in chosen_experts:
            self._member(plan, person, m.Membership.Role.EXPERT)
        for person in people:
            if id(person) not in special and rng.random() < share:
                self._member(plan, person, m.Membership.Role.MEMBER)

    def _school_associations(self, main):
        plans = []
        for index, sp in enumerate(self.plan.schools):
            if sp.cluster == "mksh":
                continue
            templates = data.SCHOOL_ASSOCIATIONS_BIG if sp.cluster == "gymnasium" else data.SCHOOL_ASSOCIATIONS_MID
            staff = [p for p in main if p.school == index]
            for name, groups in templates:
                people = [p for p in staff if p.group in groups]
                if len(people) < 3:
                    continue
                plan = AssociationPlan(m.Association(
                    name=name, kind_id=self.refs.association_kind["shmo"], municipality=self.municipality,
                    school=self.schools[index],
                ), groups=groups)
                self._staff_association(plan, people, 0.85)
                plans.append(plan)
        return plans

    # -- events ----------------------------------------------------------------------------------------------------
    def _event(self, category, kind, level, title, start, days=0, hours=None, areas=(), group=None, audience="",
               size=0, school=None, association=None, network=False, organizer=None):
        end = start + timedelta(days=days)
        if end > DEMO_TODAY:
            return None
        event = m.Event(
            title=title, kind_id=self.refs.event_kind[kind], level_id=self.refs.event_level[level],
            municipality=self.municipality, school=self.schools[school] if school is not None else None,
            organizer=organizer or self.plan.methodical_centre, is_network=network, start_date=start, end_date=end,
            hours=hours, association=association.association if association is not None else None,
        )
        plan = EventPlan(event, category, areas=areas, group=group, audience=audience, size=size, school=school,
                         association=association)
        self.events.append(plan)
        return plan

    def _day(self, year, month, first=1, last=25):
        return date(year, month, self.rng.randint(first, last))

    def _events(self):
        rng = self.rng
        groups_present = {p.group for p in self.persons}
        for year in YEARS:
            for title, group, hours, areas in data.COURSES:
                if group and group not in groups_present and group not in COURSE_GROUP_ALIASES_VALUES:
                    continue
                month = rng.choice([1, 2, 3, 4, 5, 6, 9, 10, 11, 11, 12])
                level = "federal" if rng.random() < 0.15 else "regional"
                organizer = ("ФГАОУ ДПО «Академия Минпросвещения России»" if level == "federal" else
                             rng.choice(["ГБОУ ИРО Краснодарского края", "ЦНППМ ГБОУ ИРО Краснодарского края"]))
                self._event("course", "course", level, f"Курсы ПК «{title}» ({hours} ч)", self._day(year, month),
                            days=max(1, hours // 6), hours=hours, areas=areas, group=group, organizer=organizer)
            for title, hours in data.RETRAINING:
                self._event("retraining", "retraining", "regional", f"Профессиональная переподготовка «{title}»",
                            self._day(year, 1, 10, 20), days=rng.randint(150, 300), hours=hours,
                            organizer="ГБОУ ИРО Краснодарского края")
            for kind, title, areas, month in data.MUNICIPAL_METHODICAL:
                conference = kind == "conference"
                self._event("methodical", kind, "municipal", title, self._day(year, month), days=1 if conference else 0,
                            hours=8 if conference else rng.choice([2, 3, 4]), areas=areas)
            for title, level, month in data.NETWORK_EVENTS:
                category = "network" if level == "municipal" else "high_network"
                organizer = None if level == "municipal" else (
                    "ГБОУ ИРО Краснодарского края" if level == "regional" else "Минпросвещения России")
                self._event(category, "network", level, title, self._day(year, month), days=rng.randint(0, 2),
                            areas=("methodical", "communicative"), network=True, organizer=organizer)
            title, month = data.YOUNG_RALLY
            self._event("network", "network", "municipal", title, self._day(year, month), days=1,
                        areas=("communicative", "methodical"), network=True, audience="young")
            for title, level, month, audience, size in data.CONTESTS:
                year_title = title.replace("»", f" — {year}»", 1) if "Учитель года" in title else title
                self._event("contest", "contest", level, year_title, self._day(year, month), days=rng.randint(1, 20),
                            audience=audience, size=size, organizer=CONTEST_ORGANIZERS.get(level))
            for title, level, month in data.PUBLICATIONS:
                self._event("publication", "publication", level, f"{title}, {year}", self._day(year, month),
                            areas=("methodical",))
            self._meetings(year)
            self._school_events(year)
        self._bulk(m.Event, [plan.event for plan in self.events])
        # Events that can fulfil an ИОМ activity, by deficit area, in date order (for _fitting_event); a subject
        # РМО's meetings count for its own teachers.
        self.learning_events = {}
        for area in self.refs.deficit:
            plans = sorted((e for e in self.events if area in e.areas and (
                e.category in ("course", "methodical", "school") or (e.category == "rmo" and e.association.groups))),
                key=lambda e: e.event.start_date)
            self.learning_events[area] = (plans, [e.event.start_date for e in plans])

    def _meetings(self, year):
        """РМО meet in August (the sections of the August conference), November and March; the club likewise."""
        topics = {3: "подготовка к ГИА и ВПР: обмен опытом", 8: f"планирование работы на {year}/{year + 1} учебный год",
                  11: "анализ результатов диагностики и оценочных процедур"}
        for plan in self.rmos + [self.tutor_club]:
            base = plan.association.name
            for month, topic in topics.items():
                club = plan is self.tutor_club
                self._event("rmo", "tutor-club" if club else "rmo-meeting", "municipal", f"Заседание: {base} — {topic}",
                            self._day(year, month, 20 if month == 8 else 3, 28), hours=2,
                            areas=("methodical",) if club else ("methodical", "subject"), association=plan)

    def _school_events(self, year):
        rng = self.rng
        for index, sp in enumerate(self.plan.schools):
            if rng.random() < (0.55 if sp.cluster == "gymnasium" else 0.3):
                kind, title, areas = rng.choice(data.SCHOOL_EVENTS)
                self._event("school", kind, "school", title, self._day(year, rng.choice([1, 2, 3, 10, 11])), hours=3,
                            areas=areas, school=index, organizer=self.plan.schools[index].short_name)

    # -- diagnostics -----------------------------------------------------------------------------------------------
    def _diagnostics(self):
        rng = self.rng
        campaigns = []  # (campaign, school index or None, subject group or None)
        subject_rotation = [("math", "russian"), ("primary", "history"), ("biology", "foreign"),
                            ("math", "physics")]
        for i, year in enumerate(YEARS):
            campaigns.append((m.DiagnosticCampaign(
                title=f"Диагностика профессиональных дефицитов педагогических работников, {year}",
                organizer=m.DiagnosticCampaign.Organizer.CNPPM, start_date=date(year, 4, rng.randint(8, 18)),
                end_date=date(year, 5, rng.randint(15, 25)), max_score=100,
                description="Краевая диагностика ЦНППМ (тестирование и кейсы по профессиональному стандарту).",
            ), None, None))
            for group in subject_rotation[i]:
                subject = next(s for code, _, s, _ in data.SUBJECT_GROUPS if code == group)[0]
                campaigns.append((m.DiagnosticCampaign(
                    title=f"Оценка предметных компетенций учителей "
                          f"({self.refs.subject_names[subject].lower()}), {year}",
                    organizer=m.DiagnosticCampaign.Organizer.COPMKP, subject_id=self.refs.subject[subject],
                    start_date=date(year, 4, rng.randint(1, 12)), end_date=date(year, 5, rng.randint(10, 28)),
                    max_score=30,
                ), None, group))
            campaigns.append((m.DiagnosticCampaign(
                title=f"Муниципальное анкетирование педагогов по выявлению профессиональных затруднений, {year}",
                organizer=m.DiagnosticCampaign.Organizer.MUNICIPAL, start_date=date(year, 9, rng.randint(15, 22)),
                end_date=date(year, 10, rng.randint(10, 18)),
            ), None, None))
            for index, sp in enumerate(self.plan.schools):
                if rng.random() < (0.35 if sp.cluster == "gymnasium" else 0.08):
                    month = rng.choice([2, 11])
                    campaigns.append((m.DiagnosticCampaign(
                        title=f"Школьная диагностика методических компетенций педагогов ({sp.short_name}), {year}",
                        organizer=m.DiagnosticCampaign.Organizer.SCHOOL, school=self.schools[index],
                        start_date=date(year, month, rng.randint(2, 6)),
                        end_date=date(year, month, rng.randint(12, 16)),
                        max_score=50,
                    ), index, None))
        campaigns = [c for c in campaigns if c[0].end_date <= DEMO_TODAY]
        for campaign, _, _ in campaigns:
            campaign.municipality = self.municipality
        self._bulk(m.DiagnosticCampaign, [c[0] for c in campaigns])
        results = []
        areas_rows = []
        for year in YEARS:
            of_year = [c for c in campaigns if c[0].start_date.year == year]
            base = rng.uniform(*DIAGNOSTIC_PARTICIPATION)
            for person in self.persons:
                factor = self.school_factor[person.school] if person.school is not None else 0.3
                chance = base * factor * (1.25 if person.young_on(date(year, 4, 1)) and person.first <= date(year, 4, 1)
                                          else 1)
                if rng.random() >= min(chance, 0.9):
                    continue
                options = [c for c in of_year if person.active_on(c[0].start_date)
                           and (c[1] is None or c[1] == person.school) and (c[2] is None or c[2] == person.group)]
                if not options:
                    continue
                weights = [(c, 6 if c[2] else 3 if c[1] is not None else
                            5 if c[0].organizer == "cnppm" else 2.5) for c in options]
                chosen = [weighted(rng, weights)]
                rest = [w for w in weights if w[0] is not chosen[0]]
                if rest and rng.random() < SECOND_CAMPAIGN:
                    chosen.append(weighted(rng, rest))
                for campaign, _, _ in chosen:
                    result, areas = self._result(person, campaign)
                    results.append(result)
                    self.results_by_person_year.setdefault((id(person), year), []).append((result, areas, campaign))
                    areas_rows.append((result, areas))
        self._bulk(m.DiagnosticResult, results)
        through = m.DiagnosticResult.deficit_areas.through
        self._bulk(through, [through(diagnosticresult_id=r.pk, deficitarea_id=self.refs.deficit[a])
                             for r, areas in areas_rows for a in areas])

    def _result(self, person, campaign):
        rng = self.rng
        chance = DEFICIT_BASE
        chance += {"highest": -0.2, "first": -0.05, "szd": 0.08, "none": 0.1}[person.category]
        if person.young_on(campaign.start_date):
            chance += 0.12
        cluster = self.plan.schools[person.school].cluster if person.school is not None else "umksh"
        chance += {"gymnasium": -0.06, "umksh": 0.0, "mksh": 0.06}[cluster]
        areas = []
        if rng.random() < chance:
            pool = [("subject", 25), ("methodical", 22), ("assessment", 18), ("digital", 12), ("psych-ped", 10),
                    ("upbringing", 6), ("communicative", 4), ("legal", 3)]
            count = weighted(rng, [(1, 45), (2, 38), (3, 17)])
            if campaign.organizer == m.DiagnosticCampaign.Organizer.COPMKP:
                areas.append("subject")
            while len(areas) < count:
                area = weighted(rng, pool)
                if area not in areas:
                    areas.append(area)
        score = None
        if campaign.max_score:
            top = float(campaign.max_score)
            share = rng.uniform(0.3, 0.62) if areas else rng.uniform(0.62, 0.98)
            score = round(top * share, 1)
        result = m.DiagnosticResult(campaign_id=campaign.pk, teacher_id=person.teacher.pk, score=score,
                                    has_deficits=bool(areas))
        return result, tuple(areas)

    # -- individual routes -----------------------------------------------------------------------------------------
    def _routes(self):
        """ИОМ: for most teachers with deficits (from that result), and a few compiled without diagnostics."""
        rng = self.rng
        routes = []  # (route, person, areas, activities)
        for year in YEARS:
            for person in self.persons:
                if person.outsider:
                    continue
                found = [r for r in self.results_by_person_year.get((id(person), year), []) if r[1]]
                if found:
                    factor = self.school_factor[person.school]
                    if rng.random() >= min(ROUTE_FOR_DEFICITS * (0.9 + 0.1 * factor), 0.97):
                        continue
                    result, areas, campaign = max(found, key=lambda r: len(r[1]))
                    approved = campaign.end_date + timedelta(days=rng.randint(10, 45))
                    route = m.IndividualRoute(diagnostic_result_id=result.pk,
                                              goal="Устранение профессиональных дефицитов: " + ", ".join(
                                                  self.refs.deficit_names[a] for a in areas))
                elif not self.results_by_person_year.get((id(person), year)):
                    young = person.young_on(date(year, 9, 1)) and person.first <= date(year, 10, 1)
                    if rng.random() >= (0.2 if young else ROUTE_WITHOUT_DIAGNOSTICS):
                        continue
                    approved = date(year, rng.choice([9, 10]), rng.randint(1, 28))
                    areas = tuple(rng.sample(["methodical", "psych-ped", "communicative", "digital", "subject"], 2))
                    route = m.IndividualRoute(goal="Профессиональное становление молодого педагога" if young else
                                              "Совершенствование профессионального мастерства")
                else:
                    continue
                if approved > DEMO_TODAY or not person.active_on(approved):
                    continue
                route.teacher_id = person.teacher.pk
                route.year = approved.year
                route.approved_on = approved
                route.status = self._route_status(person, approved)
                routes.append((route, person, areas, self._activities(route, person, areas)))
        self._bulk(m.IndividualRoute, [r[0] for r in routes])
        return routes

    def _route_status(self, person, approved):
        rng = self.rng
        S = m.IndividualRoute.Status
        if person.last is not None and person.last < add_years(approved, 1):
            return S.CANCELLED
        if approved.year < DEMO_TODAY.year:
            return weighted(rng, [(S.COMPLETED, 72), (S.ACTIVE, 20), (S.CANCELLED, 8)])
        return weighted(rng, [(S.ACTIVE, 85), (S.DRAFT, 15)])

    def _activities(self, route, person, areas):
        rng = self.rng
        S = m.IndividualRoute.Status
        activities = []
        planned = route.approved_on
        for i in range(rng.randint(2, 5)):
            area = areas[i % len(areas)]
            planned = min(planned + timedelta(days=rng.randint(30, 90)), route.approved_on + timedelta(days=330))
            done_chance = {S.DRAFT: 0, S.COMPLETED: 0.95, S.ACTIVE: 0.75, S.CANCELLED: 0.3}[route.status]
            activity = m.RouteActivity(deficit_area_id=self.refs.deficit[area], planned_date=planned)
            activity._participation = None
            if planned <= DEMO_TODAY and rng.random() < done_chance:
                event = self._fitting_event(person, area, route.approved_on,
                                            min(planned + timedelta(days=90), DEMO_TODAY))
                if event is not None:
                    activity.title = f"{event.event.title}"
                    activity.done_on = event.event.end_date
                    activity._participation = self._participate(event, person)
                elif rng.random() < 0.5 and person.active_on(planned):
                    activity.title = f"Самообразование: {data.REQUEST_TOPICS[area].lower()}"
                    activity.done_on = planned
            if not activity.title:
                activity.title = self._planned_title(area)
            activities.append(activity)
        return activities

    def _planned_title(self, area):
        course = next((c for c in data.COURSES if area in c[3]), None)
        if course and self.rng.random() < 0.6:
            return f"Курсы ПК «{course[0]}»"
        return f"Участие в муниципальном семинаре по теме «{data.REQUEST_TOPICS[area]}»"

    def _fitting_event(self, person, area, after, before):
        """An event addressing `area` that the person could attend between the two dates."""
        plans, starts = self.learning_events[area]
        group = _course_group(person.group)
        candidates = []
        for plan in plans[bisect_left(starts, after):]:
            if plan.event.start_date > before:
                break
            if (plan.event.end_date <= before and person.active_on(plan.event.start_date)
                    and (plan.school is None or plan.school == person.school)
                    and (plan.group is None or plan.group == group)
                    and (plan.association is None or person.group in plan.association.groups)):
                candidates.append(plan)
        if not candidates:
            return None
        return self.rng.choice(candidates)

    def _participate(self, plan, person, role=m.Participation.Role.PARTICIPANT, result=""):
        key = (id(plan), id(person))
        existing = self.participations.get(key)
        if existing is not None:
            return existing
        certificate = ""
        if plan.category == "course":
            certificate = f"удостоверение о ПК № {plan.event.end_date:%y}{self.rng.randint(10000, 99999)}"
        elif plan.category == "retraining":
            certificate = f"диплом о профессиональной переподготовке № {self.rng.randint(100000, 999999)}"
        elif plan.category == "contest" and role in (m.Participation.Role.WINNER, m.Participation.Role.PRIZE):
            certificate = "диплом"
        participation = m.Participation(role=role, result=result, certificate=certificate)
        participation._plan, participation._person = plan, person
        self.participations[key] = participation
        return participation

    # -- participation in events -----------------------------------------------------------------------------------
    def _event_participations(self):
        """Event-sized participation: contests (with winners and experts) and РМО / club meetings."""
        rng = self.rng
        R = m.Participation.Role
        scale = max(0.3, len([p for p in self.persons if not p.outsider]) / 800)
        municipal_winners = {}
        for plan in self.events:
            day = plan.event.start_date
            if plan.category == "contest":
                pool = self._contest_pool(plan, day, municipal_winners)
                size = min(len(pool), max(1, round(plan.size * (scale if plan.audience != "winners" else 1)
                                                   * rng.uniform(0.7, 1.3))))
                chosen = rng.sample(pool, size)
                for rank, person in enumerate(chosen):
                    if rank == 0 and plan.event.level_id == self.refs.event_level["municipal"]:
                        role, result = R.WINNER, "победитель"
                    elif rank <= 2 and plan.event.level_id == self.refs.event_level["municipal"]:
                        role, result = R.PRIZE, f"призёр ({rank + 1} место)"
                    elif plan.audience != "best" and rng.random() < 0.25:
                        role, result = R.PRIZE, "призёр"
                    else:
                        role, result = R.PARTICIPANT, "участник"
                    self._participate(plan, person, role, result)
                    if rank == 0 and "Учитель года" in plan.event.title:
                        municipal_winners[day.year] = person
                if plan.event.level_id == self.refs.event_level["municipal"]:
                    experts = [p for p in self.persons if p.active_on(day) and p.category == "highest"
                               and p.ped_years(day) >= 15 and p not in chosen]
                    for person in rng.sample(experts, min(len(experts), rng.randint(3, 5))):
                        self._participate(plan, person, R.EXPERT, "член жюри")
            elif plan.category == "rmo":
                for person, ms in plan.association.memberships:
                    if not (ms.start <= day and (ms.end is None or ms.end >= day) and person.active_on(day)):
                        continue
                    if ms.role == m.Membership.Role.LEADER:
                        self._participate(plan, person, R.SPEAKER)
                    elif rng.random() < RMO_ATTENDANCE:
                        speaker = ms.role in (m.Membership.Role.TUTOR, m.Membership.Role.EXPERT) and rng.random() < 0.3
                        self._participate(plan, person, R.SPEAKER if speaker else R.PARTICIPANT)

    def _contest_pool(self, plan, day, municipal_winners):
        active = [p for p in self.persons if not p.outsider and p.active_on(day)]
        if plan.audience == "young":
            return [p for p in active if p.young_on(day)]
        if plan.audience == "additional":
            return [p for p in active if p.group == "additional"]
        if plan.audience == "winners":
            winner = municipal_winners.get(day.year)
            return [winner] if winner and winner.active_on(day) else []
        if plan.audience == "best":
            return [p for p in active if p.category == "highest" and p.ped_years(day) >= 10]
        return [p for p in active if p.group not in SPECIALIST_GROUPS and 3 <= p.ped_years(day)
                and full_years(p.teacher.birth_date, day) < 55]

    def _teacher_participations(self):
        """Person-by-year participation at the rates above, in events the person could attend."""
        rng = self.rng
        R = m.Participation.Role
        by_year = {}
        for plan in self.events:
            key = plan.school if plan.category == "school" else None
            by_year.setdefault((plan.event.start_date.year, plan.category, key), []).append(plan)
        for year in YEARS:
            start, end = date(year, 1, 1), min(date(year, 12, 31), DEMO_TODAY)
            for person in self.persons:
                if not person.present_in(start, end):
                    continue
                factor = self.school_factor[person.school] if person.school is not None else 0.3
                group = _course_group(person.group)
                ped_pedagogical = person.teacher.education_level_id in self.pedagogical_levels

                def attend(category, chance, role=R.PARTICIPANT, count=1, filter_=None, school=None):
                    if rng.random() >= chance * factor:
                        return
                    options = [e for e in by_year.get((year, category, school), ())
                               if person.active_on(e.event.start_date) and (filter_ is None or filter_(e))]
                    for plan in rng.sample(options, min(count, len(options))):
                        speaker = role == R.PARTICIPANT and category in ("methodical", "network", "high_network") \
                            and person.ped_years(plan.event.start_date) >= 5 and rng.random() < 0.15
                        self._participate(plan, person, R.SPEAKER if speaker else role)

                attend("course", COURSE_RATE, filter_=lambda e: e.group is None or e.group == group)
                attend("retraining", RETRAINING_RATE * (1 if ped_pedagogical else 8))
                attend("methodical", METHODICAL_RATE, count=weighted(rng, [(1, 6), (2, 3), (3, 1)]))
                attend("network", NETWORK_RATE * (2 if person.young_on(start) else 1),
                       filter_=lambda e: e.audience != "young" or person.young_on(e.event.start_date))
                attend("high_network", HIGH_NETWORK_RATE * (1.5 if person.category == "highest" else 1))
                attend("publication", PUBLICATION_RATE * (1.6 if person.category == "highest" else 1),
                       role=R.AUTHOR)
                if person.school is not None:
                    attend("school", SCHOOL_EVENT_RATE / factor, school=person.school)

    def _save_participations_and_activities(self, routes):
        participations = list(self.participations.values())
        for p in participations:
            p.event_id = p._plan.event.pk
            p.teacher_id = p._person.teacher.pk
        self._bulk(m.Participation, participations)
        activities = []
        for route, _, _, route_activities in routes:
            for activity in route_activities:
                activity.route_id = route.pk
                if activity._participation is not None:
                    activity.participation_id = activity._participation.pk
                activities.append(activity)
        self._bulk(m.RouteActivity, activities)
        self.participation_count = len(participations)
        self.activity_count = len(activities)

    # -- mentorship ------------------------------------------------------------------------------------------------
    def _mentorships(self):
        """School mentors for most young specialists, municipal mentors for about half of them.

        Mentees are decided first so that nobody who is being mentored is picked as a mentor.
        """
        rng = self.rng
        L = m.Mentorship.Level
        mentees = []  # (person, start, natural end, young?)
        for person in self.persons:
            if person.outsider:
                continue
            ped_start = person.teacher.ped_experience_start
            young = ped_start >= date(2020, 9, 1)
            newcomer = not young and person.first >= WINDOW_START and rng.random() < 0.15
            if not (young or newcomer):
                continue
            start = max(person.first, ped_start) + timedelta(days=rng.randint(0, 25))
            cluster = self.plan.schools[person.school].cluster
            coverage = SCHOOL_MENTOR * {"gymnasium": 1.05, "umksh": 1.0, "mksh": 0.9}[cluster]
            if start > DEMO_TODAY or (person.last is not None and start > person.last) or rng.random() >= coverage:
                continue
            natural_end = add_years(ped_start, 3) if young else add_years(start, 1)
            if rng.random() < 0.1:  # a one-year programme, not renewed
                natural_end = min(natural_end, add_years(start, 1))
            mentees.append((person, start, natural_end, young))
        mentee_ids = {id(p) for p, *_ in mentees}
        load = {}
        municipal_pool = [p for p, ms in self.tutor_club.memberships] + [
            p for plan in self.rmos for p, ms in plan.memberships if ms.role != m.Membership.Role.MEMBER]
        municipal_pool = [p for p in municipal_pool if id(p) not in mentee_ids]
        rows = []
        for mentee, start, natural_end, young in mentees:
            staff = [p for p in self.by_school[mentee.school] if id(p) not in mentee_ids and p.active_on(start)
                     and p.ped_years(start) >= 7 and load.get(id(p), 0) < 3]
            mentor = self._pick_mentor(staff, mentee)
            if mentor is None:
                continue
            rows.append(self._mentorship(mentor, mentee, L.SCHOOL, start, natural_end, load))
            if young and rng.random() < MUNICIPAL_MENTOR:
                start_m = start + timedelta(days=rng.randint(10, 60))
                pool = [p for p in municipal_pool if p is not mentor and p.active_on(start_m)
                        and p.ped_years(start_m) >= 10 and load.get(id(p), 0) < 4]
                municipal = self._pick_mentor(pool, mentee)
                if municipal is not None and start_m <= DEMO_TODAY and (
                        mentee.last is None or start_m <= mentee.last):
                    rows.append(self._mentorship(municipal, mentee, L.MUNICIPAL, start_m, natural_end, load))
        self._bulk(m.Mentorship, rows)

    def _pick_mentor(self, candidates, mentee):
        if not candidates:
            return None
        same = [p for p in candidates if p.group == mentee.group]
        strong = [p for p in (same or candidates) if p.category in ("highest", "first")]
        return self.rng.choice(strong or same or candidates)

    def _mentorship(self, mentor, mentee, level, start, natural_end, load):
        ends = [natural_end] + [d for d in (mentee.last, mentor.last) if d is not None]
        end = min(ends)
        if end > DEMO_TODAY:
            end = None
        if end is not None and end < start:
            end = start
        load[id(mentor)] = load.get(id(mentor), 0) + 1
        order = f"№ {self.rng.randint(12, 180)}"
        document = (f"Приказ ОО от {start:%d.%m.%Y} {order} «О закреплении наставников»" if level == "school" else
                    f"Приказ управления образованием от {start:%d.%m.%Y} {order}-о «О муниципальных наставниках»")
        return m.Mentorship(mentor_id=mentor.teacher.pk, mentee_id=mentee.teacher.pk, level=level, start=start,
                            end=end, document=document)

    def _mentorship_models(self):
        """Each year a quota of schools implements the target model; once adopted, it stays."""
        rng = self.rng
        rows = []
        adopted = {}  # school index -> year
        likelihood = {"gymnasium": 3, "umksh": 2, "mksh": 1}
        for year in YEARS:
            quota = round(MENTORSHIP_MODEL_BY_YEAR[year] * len(self.schools))
            waiting = [(i, likelihood[sp.cluster]) for i, sp in enumerate(self.plan.schools) if i not in adopted]
            while len(adopted) < quota and waiting:
                index = weighted(rng, waiting)
                adopted[index] = year
                waiting = [w for w in waiting if w[0] != index]
            for index, school in enumerate(self.schools):
                since = adopted.get(index)
                document = (f"Положение о наставничестве; приказ ОО от 01.09.{since} № {rng.randint(40, 160)}"
                            if since else "")
                rows.append(m.MentorshipModelAdoption(school=school, year=year, implements=since is not None,
                                                      document=document))
        self._bulk(m.MentorshipModelAdoption, rows)

    # -- staffing --------------------------------------------------------------------------------------------------
    def _vacancies(self):
        rng = self.rng
        staff = sum(sp.size for sp in self.plan.schools)
        count = max(1, round(VACANCIES_PER_800 * staff / 800 * rng.uniform(0.85, 1.15)))
        demand = [(("teacher", "math"), 5), (("teacher", "physics"), 3), (("teacher", "english"), 4),
                  (("primary-teacher", "primary"), 4), (("teacher", "russian"), 4), (("teacher", "chemistry"), 2),
                  (("teacher", "informatics"), 2), (("psychologist", None), 2), (("speech-therapist", None), 2),
                  (("teacher", "biology"), 1), (("advisor", None), 1), (("social-pedagogue", None), 1)]
        school_weights = [(i, {"mksh": 3, "umksh": 2, "gymnasium": 1}[sp.cluster])
                          for i, sp in enumerate(self.plan.schools)]
        rows = []
        for _ in range(count):
            position, subject = weighted(rng, demand)
            school = weighted(rng, school_weights)
            if rng.random() < 0.4:
                opened = date(rng.choice(YEARS), rng.randint(6, 8), rng.randint(1, 28))
            else:
                opened = rand_date(rng, WINDOW_START, DEMO_TODAY - timedelta(days=5))
            opened = min(opened, DEMO_TODAY - timedelta(days=5))
            closed = None
            chance = 0.9 if (DEMO_TODAY - opened).days > 400 else 0.45
            if rng.random() < chance:
                closed = opened + timedelta(days=rng.randint(20, 240))
                if closed > DEMO_TODAY:
                    closed = None
            hours = rng.choice([18, 18, 20, 22, 24, 27]) if position in ("teacher", "primary-teacher") else 36
            rows.append(m.Vacancy(
                school=self.schools[school], position_id=self.refs.position[position],
                subject_id=self.refs.subject[subject] if subject else None, weekly_hours=hours, opened=opened,
                closed=closed, housing=self.plan.schools[school].cluster == "mksh" and rng.random() < 0.3,
                comment="закрыта: принят педагог" if closed else "",
            ))
        self._bulk(m.Vacancy, rows)

    def _reserve(self):
        rng = self.rng
        staff = sum(sp.size for sp in self.plan.schools)
        count = max(1, round(RESERVE_PER_800 * staff / 800))
        pool = [p for p in self.persons if not p.outsider and p.last is None and p.ped_years(DEMO_TODAY) >= 8
                and 30 <= full_years(p.teacher.birth_date, DEMO_TODAY) <= 55 and p.category in ("highest", "first")]
        rows = []
        for person in rng.sample(pool, min(count, len(pool))):
            included = rand_date(rng, max(person.first, WINDOW_START + timedelta(days=14)),
                                 DEMO_TODAY - timedelta(days=7))
            excluded = None
            target = weighted(rng, [(data.RESERVE_POSITIONS[0], 2), (data.RESERVE_POSITIONS[1], 4),
                                    (data.RESERVE_POSITIONS[2], 2), (data.RESERVE_POSITIONS[3], 2)])
            if rng.random() < 0.2:
                excluded = included + timedelta(days=rng.randint(100, 500))
                if excluded > DEMO_TODAY:
                    excluded = None
            rows.append(m.ReserveEntry(
                teacher_id=person.teacher.pk, school=self.schools[person.school], target_position=target,
                included_on=included, excluded_on=excluded,
                basis=f"Протокол заседания комиссии по формированию кадрового резерва от {included:%d.%m.%Y} "
                      f"№ {rng.randint(1, 6)}",
            ))
        self._bulk(m.ReserveEntry, rows)

    def _requests(self):
        rng = self.rng
        S = m.DevelopmentRequest.Status
        F = m.DevelopmentRequest.Format
        rows = []
        for year in YEARS:
            for person in self.persons:
                if person.outsider:
                    continue
                if rng.random() >= REQUEST_RATE * self.school_factor[person.school]:
                    continue
                if rng.random() < 0.7:
                    submitted = date(year, rng.choice([2, 3, 4]), rng.randint(1, 28))
                else:
                    submitted = date(year, rng.choice([9, 10]), rng.randint(1, 28))
                if submitted > DEMO_TODAY or not person.active_on(submitted):
                    continue
                found = [a for r in self.results_by_person_year.get((id(person), year), []) for a in r[1]]
                area = rng.choice(found) if found else weighted(rng, [
                    ("subject", 20), ("methodical", 20), ("assessment", 18), ("digital", 15), ("psych-ped", 12),
                    ("upbringing", 8), ("communicative", 4), ("legal", 3)])
                if year < DEMO_TODAY.year:
                    status = weighted(rng, [(S.SATISFIED, 65), (S.PLANNED, 20), (S.DECLINED, 15)])
                else:
                    status = weighted(rng, [(S.NEW, 50), (S.PLANNED, 40), (S.SATISFIED, 10)])
                rows.append(m.DevelopmentRequest(
                    teacher_id=person.teacher.pk, year=year, topic=data.REQUEST_TOPICS[area],
                    deficit_area_id=self.refs.deficit[area], status=status, submitted_on=submitted,
                    format=weighted(rng, [(F.IN_PERSON, 45), (F.DISTANCE, 35), (F.MIXED, 20)]),
                ))
        self._bulk(m.DevelopmentRequest, rows)


COURSE_GROUP_ALIASES_VALUES = set(data.COURSE_GROUP_ALIASES.values())
CONTEST_ORGANIZERS = {"regional": "министерство образования, науки и молодёжной политики Краснодарского края",
                      "federal": "Минпросвещения России"}


def _course_group(group):
    """The course audience a subject group falls into (natural sciences share one course, etc.)."""
    return data.COURSE_GROUP_ALIASES.get(group, group)


# -- plans ---------------------------------------------------------------------------------------------------------
def _address(rng, settlement, district):
    return f"Краснодарский край, {district}, {settlement}, ул. {rng.choice(data.STREETS)}, {rng.randint(1, 120)}"


def district_plan(rng):
    """Seed 000's district: Усть-Лабинский район with its 27 schools."""
    d = data.DISTRICT
    schools = []
    for short, kind, number, settlement, genitive, cluster in data.DISTRICT_SCHOOLS:
        form = "автономное" if short.startswith("МАОУ") else "бюджетное"
        honoree = short.split(" им. ", 1)[1] if " им. " in short else ""
        full = (f"Муниципальное {form} общеобразовательное учреждение {data.SCHOOL_KIND_FULL[kind]} № {number}"
                + (f" имени {honoree}" if honoree else "") + f" {genitive} муниципального образования "
                "Усть-Лабинский район")
        schools.append(SchoolPlan(
            short_name=short, full_name=full, cluster=cluster, size=rng.randint(*CLUSTER_SIZES[cluster]),
            address=_address(rng, settlement, "Усть-Лабинский район"),
            email=f"school{number}@{d['email_domain']}",
        ))
    _fit_total_size(rng, schools, *DISTRICT_STAFF)
    return MunicipalityPlan(
        name=d["name"], short_name=d["short_name"], region=d["region"], office_name=d["office_name"],
        office_head=d["office_head"], place=d["place"], methodical_centre=d["methodical_centre"], schools=schools,
        snils_offset=0,
    )


def _fit_total_size(rng, schools, low, high):
    """Nudge school sizes, within their cluster's range, until the total is within [low, high]."""
    for _ in range(10_000):
        total = sum(s.size for s in schools)
        if low <= total <= high:
            return
        step = -1 if total > high else 1
        school = rng.choice(schools)
        low_size, high_size = CLUSTER_SIZES[school.cluster]
        if low_size <= school.size + step <= high_size:
            school.size += step


def region_plan(rng, index, name, place, urban, school_count, office_head):
    """One municipality of the region scale; schools numbered 1…n with a cluster mix by urban/rural."""
    short = name
    if urban:
        office = f"Департамент образования администрации муниципального образования {name}"
        centre = f"МКУ «Центр развития образования» муниципального образования {name}"
    else:
        office = f"Управление образованием администрации муниципального образования {name}"
        centre = f"МБУ «Центр развития образования» муниципального образования {name}"
    mix = REGION_CLUSTER_MIX[urban]
    schools = []
    for number in range(1, school_count + 1):
        cluster = weighted(rng, list(mix.items()))
        if cluster == "gymnasium":
            kind = weighted(rng, [("гимназия", 3), ("лицей", 2), ("сош", 5)])
        elif cluster == "umksh":
            kind = "сош"
        else:
            kind = weighted(rng, [("сош", 1), ("оош", 2)])
        if urban or cluster == "gymnasium":
            settlement, genitive = place, f"{place}"
        else:
            settlement, genitive = rng.choice(data.RURAL_SETTLEMENTS)
        prefix = "МАОУ" if kind in ("гимназия", "лицей") else "МБОУ"
        label = {"гимназия": "Гимназия", "лицей": "Лицей", "сош": "СОШ", "оош": "ООШ"}[kind]
        short_name = f"{prefix} {label} № {number}"
        form = "автономное" if prefix == "МАОУ" else "бюджетное"
        full = (f"Муниципальное {form} общеобразовательное учреждение {data.SCHOOL_KIND_FULL[kind]} № {number} "
                f"({settlement}) муниципального образования {name}")
        low, high = CLUSTER_SIZES[cluster]
        size = rng.randint(low, high)
        if urban:
            size = round(size * URBAN_SIZE_FACTOR)
        schools.append(SchoolPlan(short_name=short_name, full_name=full, cluster=cluster, size=size,
                                  address=_address(rng, settlement, name),
                                  email=f"school{number}@mo{index + 1}-edu.example"))
    return MunicipalityPlan(
        name=name, short_name=short, region="Краснодарский край", office_name=office, office_head=office_head,
        place=place, methodical_centre=centre, schools=schools, snils_offset=1_000_000 + index * 100_000,
    )
