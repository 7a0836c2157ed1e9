"""Teachers: the list methodologists filter, the person's whole story, and one form for a person and their positions."""
from datetime import date

import django_filters
import django_tables2 as tables
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.lookups import Exact, IsNull
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from .. import crud, personal_data, scoping
from . import pickers
from ..models import (
    Appointment, Cluster, DiagnosticResult, EducationLevel, Employment, IndividualRoute, Mentorship, Position,
    QualificationCategory, School, Subject, Teacher,
)
from ..dates import full_years, years_before
from ..naming import natural_order
from ..snils import normalize_snils, validate_snils
from ..widgets import speed_up_selects

AGE_BANDS = [("lt25", "моложе 25", None, 25), ("25-34", "25–34", 25, 35), ("35-44", "35–44", 35, 45),
             ("45-54", "45–54", 45, 55), ("55-64", "55–64", 55, 65), ("65+", "65 и старше", 65, None)]
EXPERIENCE_BANDS = [("lt3", "до 3 лет", None, 3), ("3-5", "3–5", 3, 5), ("5-10", "5–10", 5, 10),
                    ("10-15", "10–15", 10, 15), ("15-20", "15–20", 15, 20), ("20+", "20 и более", 20, None)]


def _band_q(field, bands, code, on):
    for value, _, low, high in bands:
        if value == code:
            q = Q()
            if low is not None:
                q &= Q(**{f"{field}__lte": years_before(on, low)})
            if high is not None:
                q &= Q(**{f"{field}__gt": years_before(on, high)})
            return q
    return Q()


def current_appointments(on):
    return Appointment.objects.active_on(on).select_related("school", "position").order_by("employment", "-hired")


def shown_positions(on):
    """Current appointments with only the fields the list and the export show."""
    return current_appointments(on).only(
        "teacher_id", "employment", "weekly_hours", "hired", "dismissed", "school__short_name", "position__name")


class TeacherTable(tables.Table):
    full_name = tables.LinkColumn("teacher-detail", args=[tables.A("pk")], verbose_name="ФИО",
                                  order_by=("last_name", "first_name", "middle_name"))
    school = tables.Column(verbose_name="ОО", empty_values=(), orderable=False)
    position = tables.Column(verbose_name="Должность", empty_values=(), orderable=False)
    employment = tables.Column(verbose_name="Занятость", empty_values=(), orderable=False)
    category = tables.Column(verbose_name="Категория", accessor="category__name", order_by="category__order")
    age = tables.Column(verbose_name="Возраст", empty_values=(), order_by="-birth_date", attrs={"td": {"class": "num"}})
    experience = tables.Column(verbose_name="Педстаж", empty_values=(), order_by="-ped_experience_start",
                               attrs={"td": {"class": "num"}})
    flags = tables.Column(verbose_name="Отметки", empty_values=(), orderable=False, exclude_from_export=True)
    # Exported only: the spreadsheet carries the whole card.
    birth_date = tables.DateColumn(verbose_name="Дата рождения", format="d.m.Y", visible=False)
    snils = tables.Column(verbose_name="СНИЛС", visible=False)
    gender = tables.Column(verbose_name="Пол", visible=False)
    education_level = tables.Column(verbose_name="Образование", accessor="education_level__name", visible=False)
    category_date = tables.DateColumn(verbose_name="Дата категории", format="d.m.Y", visible=False)
    ped_experience_start = tables.DateColumn(verbose_name="Педстаж с", format="d.m.Y", visible=False)
    total_experience_start = tables.DateColumn(verbose_name="Общий стаж с", format="d.m.Y", visible=False)
    weekly_hours = tables.Column(verbose_name="Нагрузка, ч/нед", empty_values=(), visible=False)
    hired = tables.Column(verbose_name="Дата приёма", empty_values=(), visible=False)
    subjects = tables.Column(verbose_name="Предметы", empty_values=(), visible=False, orderable=False)
    email = tables.Column(verbose_name="Эл. почта", visible=False)
    phone = tables.Column(verbose_name="Телефон", visible=False)

    class Meta:
        model = Teacher
        fields = ()
        sequence = ("full_name", "school", "position", "employment", "category", "age", "experience", "flags")
        order_by = ("full_name",)
        template_name = "teachers/_teacher_table.html"

    def __init__(self, *args, on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.on = on or timezone.localdate()

    def _current(self, record):
        return record.current_positions[0] if record.current_positions else None

    def render_school(self, record):
        current = self._current(record)
        return current.school.short_name if current else "— (не работает)"

    value_school = render_school

    def render_position(self, record):
        return ", ".join(sorted({a.position.name for a in record.current_positions})) or "—"

    value_position = render_position

    def render_employment(self, record):
        current = self._current(record)
        return current.get_employment_display() if current else "—"

    value_employment = render_employment

    def render_age(self, record):
        return full_years(record.birth_date, self.on)

    value_age = render_age

    def render_experience(self, record):
        years = full_years(record.ped_experience_start, self.on)
        return "—" if years is None else years

    value_experience = render_experience

    def render_flags(self, record):
        from django.utils.html import format_html, format_html_join

        flags = []
        if record.is_young_specialist_on(self.on):
            flags.append(("info", "молодой специалист"))
            levels = {m.level for m in record.current_mentorships}
            if len(levels) < 2:
                flags.append(("warning", "нет наставника" if not levels else "один наставник"))
        if record.current_routes:
            flags.append(("success", "ИОМ"))
        if not flags:
            return ""
        return format_html_join(" ", '<span class="badge text-bg-{}">{}</span>', flags) or format_html("")

    # The list page renders its 50 rows through `fast_rows` (teachers/_teacher_table.html): django-tables2's
    # generic cell machinery inspects signatures for every cell and was most of the page's server time.

    def fast_rows(self):
        """(css class, html) cells of the shown page, in the visible columns' order."""
        from django.utils.html import conditional_escape, format_html

        page = getattr(self, "page", None)
        records = [row.record for row in page.object_list] if page else []
        columns = [(bc.name, bc.column.attrs.get("td", {}).get("class", "")) for bc in self.columns]
        link = reverse("teacher-detail", args=[0])[:-2]  # "/teachers/" + pk + "/"
        out = []
        for record in records:
            cells = []
            for name, css in columns:
                if name == "full_name":
                    html = format_html('<a href="{}{}/">{}</a>', link, record.pk, record.full_name)
                elif name == "category":
                    html = conditional_escape(record.category.name if record.category_id else "—")
                else:
                    value = getattr(self, f"render_{name}")(record)
                    html = conditional_escape("—" if value is None or value == "" and name != "flags" else value)
                cells.append((css, html))
            out.append(cells)
        return out

    def fast_tbody(self):
        """The page's rows as one HTML string: a template loop over 400 cells resolved ~1,200 variables."""
        from django.utils.html import conditional_escape
        from django.utils.safestring import mark_safe

        labels = [conditional_escape(str(bc.header)) for bc in self.columns]
        rows = []
        for cells in self.fast_rows():
            tds = "".join(f'<td class="{conditional_escape(css)}" data-label="{label}">{html}</td>' if css
                          else f'<td data-label="{label}">{html}</td>' for (css, html), label in zip(cells, labels))
            rows.append(f"<tr>{tds}</tr>")
        return mark_safe("".join(rows))  # every html above is escaped or built by format_html

    def value_weekly_hours(self, record):
        return sum((a.weekly_hours or 0) for a in record.current_positions) or None

    def value_hired(self, record):
        current = self._current(record)
        return current.hired if current else None

    def value_subjects(self, record):
        subjects = getattr(record, "subject_list", None)  # prefetched for exports
        return ", ".join(s.name for s in (subjects if subjects is not None else record.subjects.all()))

    def value_gender(self, record):
        return record.get_gender_display()


class TeacherFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="ФИО или СНИЛС", method="search")
    school = django_filters.ModelChoiceFilter(label="ОО", queryset=School.objects.none(), method="by_school")
    cluster = django_filters.ModelChoiceFilter(label="Кластер", queryset=Cluster.objects.all(), method="by_cluster")
    position = django_filters.ModelChoiceFilter(label="Должность", queryset=Position.objects.all(), method="by_position")
    subject = django_filters.ModelChoiceFilter(label="Предмет", queryset=Subject.objects.all(), field_name="subjects")
    category = django_filters.ModelChoiceFilter(label="Категория", queryset=QualificationCategory.objects.all(),
                                                method="by_category")
    education_level = django_filters.ModelChoiceFilter(label="Образование", queryset=EducationLevel.objects.all())
    employment = django_filters.ChoiceFilter(label="Занятость", choices=Employment.choices, method="by_employment")
    young = django_filters.BooleanFilter(label="Молодой специалист", method="by_young")
    has_route = django_filters.BooleanFilter(label="Есть ИОМ в этом году", method="by_route")
    diagnosed = django_filters.BooleanFilter(label="Прошёл диагностику в этом году", method="by_diagnosed")
    deficits = django_filters.BooleanFilter(label="Выявлены дефициты", method="by_deficits")
    without_mentor = django_filters.BooleanFilter(label="Молодой без двух наставников", method="by_without_mentor")
    age = django_filters.ChoiceFilter(label="Возраст", choices=[(v, t) for v, t, _, _ in AGE_BANDS], method="by_age")
    experience = django_filters.ChoiceFilter(label="Педстаж", choices=[(v, t) for v, t, _, _ in EXPERIENCE_BANDS],
                                             method="by_experience")
    include_dismissed = django_filters.BooleanFilter(label="Включая уволенных", method="by_dismissed")

    class Meta:
        model = Teacher
        fields = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.on = timezone.localdate()
        self.by_snils = personal_data.may_see_personal_data(user)
        if not self.by_snils:
            self.filters["q"].label = "ФИО"
        self.filters["school"].queryset = natural_order(scoping.schools_for(user))
        for name, field in self.form.fields.items():
            if isinstance(field, forms.NullBooleanField):
                field.widget = forms.Select(choices=[("", "—"), ("true", "да"), ("false", "нет")])
            css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
            field.widget.attrs["class"] = css
        speed_up_selects(self.form)

    @property
    def qs(self):
        """The filtered teachers. School, cluster, position and employment describe one current appointment
        (a teacher of mathematics at school 1 is someone working at school 1 as a teacher of mathematics), so
        they and "still working" make one EXISTS."""
        if not hasattr(self, "_teachers"):
            self._position_filters = {}
            qs = super().qs  # runs the filter methods, which collect the position filters
            working = not getattr(self.form, "cleaned_data", {}).get("include_dismissed")
            if working or self._position_filters:
                qs = qs.filter(Exists(Appointment.objects.active_on(self.on).filter(
                    teacher=OuterRef("pk"), **self._position_filters)))
            self._teachers = qs
        return self._teachers

    def _positions(self, qs, **filters):
        self._position_filters.update(filters)
        return qs

    def search(self, qs, name, value):
        digits = "".join(ch for ch in value if ch.isdigit())
        q = Q()
        for word in value.split():
            q &= Q(last_name__icontains=word) | Q(first_name__icontains=word) | Q(middle_name__icontains=word)
        if len(digits) >= 3 and self.by_snils:
            q |= Q(snils__contains=digits)
        return qs.filter(q)

    def by_school(self, qs, name, value):
        return self._positions(qs, school=value)

    def by_cluster(self, qs, name, value):
        return self._positions(qs, school__cluster=value)

    def by_position(self, qs, name, value):
        return self._positions(qs, position=value)

    def by_employment(self, qs, name, value):
        return self._positions(qs, employment=value)

    def by_category(self, qs, name, value):
        """The category in force today (the dated history: an expired one no longer counts)."""
        from ..models.qualification import NO_CATEGORY, category_on

        if value.code == NO_CATEGORY:
            return qs.filter(Q(IsNull(category_on(self.on, "", "category_id"), True)) | Q(
                Exact(category_on(self.on, "", "category__code"), NO_CATEGORY)))
        return qs.filter(Q(Exact(category_on(self.on, "", "category_id"), value.pk)))

    def by_young(self, qs, name, value):
        young = Teacher.objects.young_specialists(self.on).values("pk")
        return qs.filter(pk__in=young) if value else qs.exclude(pk__in=young)

    def by_route(self, qs, name, value):
        routes = Exists(IndividualRoute.objects.filter(teacher=OuterRef("pk"), year=self.on.year)
                        .exclude(status=IndividualRoute.Status.CANCELLED))
        return qs.filter(routes if value else ~routes)

    def _results(self, **filters):
        return Exists(DiagnosticResult.objects.filter(teacher=OuterRef("pk"), campaign__end_date__year=self.on.year,
                                                      **filters))

    def by_diagnosed(self, qs, name, value):
        return qs.filter(self._results() if value else ~self._results())

    def by_deficits(self, qs, name, value):
        return qs.filter(self._results(has_deficits=True) if value else ~self._results(has_deficits=True))

    def by_without_mentor(self, qs, name, value):
        both = (Q(Exists(Mentorship.objects.active_on(self.on).filter(mentee=OuterRef("pk"), level="school")))
                & Q(Exists(Mentorship.objects.active_on(self.on).filter(mentee=OuterRef("pk"), level="municipal"))))
        young = Teacher.objects.young_specialists(self.on).values("pk")
        return qs.filter(pk__in=young).exclude(both) if value else qs

    def by_age(self, qs, name, value):
        return qs.filter(_band_q("birth_date", AGE_BANDS, value, self.on))

    def by_experience(self, qs, name, value):
        return qs.filter(_band_q("ped_experience_start", EXPERIENCE_BANDS, value, self.on))

    def by_dismissed(self, qs, name, value):
        return qs


def annotate_for_list(queryset, on):
    """Everything the table shows, in a fixed number of queries.

    The flags (mentors, this year's ИОМ) are prefetched, so they are read for the shown page only: as EXISTS
    columns PostgreSQL hashed the whole mentorship and route tables for every page.
    """
    routes = IndividualRoute.objects.filter(year=on.year).exclude(status=IndividualRoute.Status.CANCELLED).only(
        "pk", "teacher_id")
    # Only what the page shows: the person, their category, where and as whom they work, the flags.
    return queryset.defer("note", "created", "updated").select_related("category").prefetch_related(
        Prefetch("appointments", queryset=shown_positions(on), to_attr="current_positions"),
        Prefetch("mentors", queryset=Mentorship.objects.active_on(on).only("pk", "mentee_id", "level"),
                 to_attr="current_mentorships"),
        Prefetch("routes", queryset=routes, to_attr="current_routes"),
    )


class TeacherForm(crud.ScopedModelForm):
    picker_key = "teacher"
    # Wider than the stored 11 digits: people type dashes and spaces; clean_snils normalises and checks.
    snils = forms.CharField(label="СНИЛС", required=False, max_length=20, help_text="11 цифр, можно с дефисами.")

    class Meta:
        model = Teacher
        fields = ["last_name", "first_name", "middle_name", "gender", "birth_date", "snils", "subjects",
                  "education_level", "category", "category_date", "ped_experience_start", "total_experience_start",
                  "email", "phone", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2}), "subjects": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # Another school (or municipality) currently employs the person: the person's own data are theirs
        # to keep; this user changes only their school's positions (DESIGN §7). Disabled fields ignore POSTs.
        self.keepers = []
        self.existing = None  # the stored person a new card's СНИЛС and name point to (see clean)
        if self.instance.pk and user is not None and not scoping.identity_editable(user, self.instance):
            self.keepers = list(scoping.identity_keepers(user, self.instance))
            for field in self.fields.values():
                field.disabled = True

    @property
    def identity_locked(self):
        return all(field.disabled for field in self.fields.values())

    def _get_validation_exclusions(self):
        # The СНИЛС is checked by clean_snils and clean (uniqueness without naming a person outside the scope);
        # the model's own unique-constraint message would say no more than "taken" and would block the attach.
        return super()._get_validation_exclusions() | {"snils"}

    def clean_snils(self):
        digits = normalize_snils(self.cleaned_data.get("snils"))
        validate_snils(digits)
        return digits

    def clean(self):
        data = super().clean()
        digits = data.get("snils")
        if self.identity_locked or not digits:
            return data
        other = Teacher.objects.exclude(pk=self.instance.pk).filter(snils=digits).first()
        if other is None:
            return data
        visible = scoping.scoped(self.user, Teacher.objects.filter(pk=other.pk)).exists() if self.user else True
        if visible:
            self.add_error("snils", f"Этот СНИЛС уже указан в карточке «{other.full_name}» "
                                    f"({other.birth_date:%d.%m.%Y}).")
        elif self.instance.pk is None and _same_person(other, data):
            # The person is on another school's staff (an external part-timer, a transfer): the card is not
            # duplicated; the positions below are added to the existing person, whose data stay untouched.
            self.existing = other
        else:
            # Nothing about that person is shown: only that the number is taken.
            self.add_error("snils", "Этот СНИЛС уже указан в другой карточке, которая вам недоступна. Проверьте "
                                    "номер, ФИО и дату рождения; если всё верно — обратитесь к методисту района.")
        return data


def _same_person(teacher, data):
    """Do the form's ФИО and birth date name this stored person (case, «ё» and spaces aside)?"""
    from ..importing.rows import name_key

    return name_key(teacher.last_name, teacher.first_name, teacher.middle_name, teacher.birth_date) == name_key(
        data.get("last_name") or "", data.get("first_name") or "", data.get("middle_name") or "",
        data.get("birth_date"))


class AppointmentForm(crud.ScopedModelForm):
    picker_key = "appointment"

    class Meta:
        model = Appointment
        fields = ["school", "position", "employment", "weekly_hours", "rate", "hired", "dismissed"]


class BaseAppointmentFormSet(BaseInlineFormSet):
    """The positions this user may change: a school head sees the rows of their own school only (a posted id
    of another school's position is not among the choices and is refused), the other rows are listed read-only
    by the page."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        if not hasattr(self, "_queryset"):
            qs = super().get_queryset()
            if self.user is not None:
                qs = qs.filter(school__in=scoping.writable_schools(self.user))
            self._queryset = qs
        return self._queryset

    def _existing_object(self, pk):
        found = super()._existing_object(pk)
        if found is None:
            self.foreign_rows = True  # a posted row names a position that is not among this user's
        return found

    def clean(self):
        super().clean()
        if getattr(self, "foreign_rows", False):
            raise ValidationError("Изменять можно только должности в своей ОО: обновите страницу и попробуйте снова.")


AppointmentFormSet = inlineformset_factory(Teacher, Appointment, form=AppointmentForm, formset=BaseAppointmentFormSet,
                                           extra=1, can_delete=False)


class TeacherViewMixin:
    model = Teacher
    crud_name = "teacher"
    title_plural = "педагогические работники"


class TeacherListView(TeacherViewMixin, crud.CrudListView):
    table_class = TeacherTable
    filterset_class = TeacherFilter
    export_name = "pedagogi"

    def get_queryset(self):
        return annotate_for_list(super().get_queryset(), timezone.localdate())

    def export_queryset(self, queryset):
        # The flags column is not exported: skip its two prefetches for every 2,000 rows.
        # Related rows are read as lists (to_attr) and with only the fields the columns show: at 60,000 people
        # the managers and model fields otherwise cost more than the query.
        positions = shown_positions(timezone.localdate())
        return queryset.select_related("category", "education_level").prefetch_related(None).prefetch_related(
            Prefetch("subjects", queryset=Subject.objects.only("name"), to_attr="subject_list"),
            Prefetch("appointments", queryset=positions, to_attr="current_positions"))

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["user"] = self.request.user
        return kwargs


class TeacherDetailView(TeacherViewMixin, crud.CrudDetailView):
    template_name = "teachers/teacher_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["story"] = teacher_story(self.object)
        ctx["positions"] = self.object.appointments.select_related("school", "position").order_by("-hired")
        today = ctx["today"] = timezone.localdate()
        ctx["age"] = self.object.age_on(today)
        ctx["category_history"] = self.object.category_assignments.select_related("category").order_by(
            "-assigned_on")
        ctx["ped_years"] = self.object.ped_experience_on(today)
        ctx["add_links"] = teacher_add_links(self.request, self.object)
        ctx.update(personal_data.card_context(self.request.user, ctx["history"], self.object))
        personal_data.record_card_view(self.request, self.object)
        return ctx


def teacher_add_links(request, teacher):
    """(title, url) of the records one adds about this person, prefilled with them and leading back to the card;
    none for a user who may not change the person's records (`scoping.can_edit`)."""
    user = request.user
    if not scoping.can_edit(user, teacher):
        return []
    links = []
    for title, crud_name, field in [("Результат диагностики", "result", "teacher"), ("ИОМ", "route", "teacher"),
                                    ("Участие в мероприятии", "participation", "teacher"),
                                    ("Наставника", "mentorship", "mentee"),
                                    ("Членство в объединении", "membership", "teacher")]:
        url = crud.add_url(user, crud_name, **{field: teacher.pk}, next=request.path)
        if url:
            links.append((title, url))
    return links


def teacher_story(teacher):
    """The person's development in time order: diagnostics → ИОМ → events → mentorship → associations."""
    events = []
    for r in teacher.diagnostic_results.select_related("campaign").prefetch_related("deficit_areas"):
        areas = ", ".join(a.name for a in r.deficit_areas.all())
        events.append((r.campaign.end_date, "diagnostic", f"Диагностика: {r.campaign.title}",
                       f"выявлены дефициты: {areas}" if areas else "дефициты не выявлены", ("result", r.pk)))
    for route in teacher.routes.prefetch_related("activities__participation__event"):
        done = sum(1 for a in route.activities.all() if a.done_on)
        events.append((route.approved_on, "route", f"ИОМ на {route.year} г. ({route.get_status_display()})",
                       f"мероприятий: {len(route.activities.all())}, выполнено: {done}"
                       + ("" if route.diagnostic_result_id else "; составлен без диагностики"), ("route", route.pk)))
        for a in route.activities.all():
            if a.done_on:
                events.append((a.done_on, "activity", f"Выполнено мероприятие ИОМ: {a.title}", "", ("activity", a.pk)))

    for p in teacher.participations.select_related("event__kind", "event__level"):
        events.append((p.event.end_date, "event", f"{p.event.kind.name[:1].upper()}{p.event.kind.name[1:]}: {p.event.title}",
                       f"{p.event.level.name} уровень; {p.get_role_display()}"
                       + (f"; {p.event.hours} ч" if p.event.hours else "") + (f"; {p.result}" if p.result else ""),
                       ("participation", p.pk)))
    for m in teacher.mentors.select_related("mentor"):
        events.append((m.start, "mentee", f"Закреплён наставник ({m.get_level_display()}): {m.mentor}",
                       f"до {m.end:%d.%m.%Y}" if m.end else "по настоящее время", ("mentorship", m.pk)))
    for m in teacher.mentoring.select_related("mentee"):
        events.append((m.start, "mentor", f"Наставник ({m.get_level_display()}) для: {m.mentee}",
                       f"до {m.end:%d.%m.%Y}" if m.end else "по настоящее время"))
    for m in teacher.memberships.select_related("association"):
        events.append((m.start, "association", f"{m.association}: {m.get_role_display()}",
                       f"до {m.end:%d.%m.%Y}" if m.end else "по настоящее время", ("membership", m.pk)))
    for r in teacher.reserve_entries.all():
        events.append((r.included_on, "reserve", f"Включён в кадровый резерв на должность: {r.target_position}", r.basis))
    for r in teacher.development_requests.all():
        events.append((r.submitted_on, "request", f"Запрос на повышение квалификации: {r.topic}", r.get_status_display()))
    events.sort(key=lambda e: (e[0] or date.min), reverse=True)
    years = {}
    for item in events:
        link = reverse(f"{item[4][0]}-detail", args=[item[4][1]]) if len(item) > 4 else None
        years.setdefault(item[0].year if item[0] else "—", []).append(
            {"date": item[0], "kind": item[1], "title": item[2], "detail": item[3], "url": link})
    return list(years.items())


class TeacherFormMixin:
    template_name = "teachers/teacher_form.html"
    form_class = TeacherForm

    def get_formset(self):
        user = self.request.user
        kwargs = {"instance": self.object if getattr(self, "object", None) else Teacher(),
                  "user": user, "form_kwargs": {"user": user}}
        if self.request.method == "POST":
            kwargs["data"] = self.request.POST
        formset = AppointmentFormSet(**kwargs)
        own = scoping.writable_schools(user)
        if own.count() == 1:
            for form in formset.forms:
                form.fields["school"].initial = own.first().pk
        return formset

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("formset", self.get_formset())
        instance = getattr(self, "object", None)
        if instance is not None and instance.pk:
            # Positions at other schools: shown, never part of the formset.
            ctx["other_positions"] = instance.appointments.exclude(
                school__in=scoping.writable_schools(self.request.user)).select_related("school", "position")
        return ctx

    def form_valid(self, form):
        from django.contrib import messages

        formset = self.get_formset()
        formset.instance = form.instance
        if not formset.is_valid():
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        if not any(f.cleaned_data and f.cleaned_data.get("school") for f in formset.forms) and not (
                form.instance.pk and form.instance.appointments.exists()):
            form.add_error(None, "Укажите хотя бы одну должность в ОО.")
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        with transaction.atomic():
            if form.existing is not None:
                self.object = form.existing
                note = ("Педагог уже есть в системе (его личные данные ведёт другая ОО): к карточке добавлены "
                        "должности в вашей ОО, остальные сведения не изменены.")
            elif form.identity_locked:
                self.object = form.instance  # nothing of the person's own data may change here
                note = "Должности в вашей ОО сохранены."
            else:
                self.object = form.save()
                note = "Сохранено."
            formset.instance = self.object
            formset.save()
        messages.success(self.request, note)
        return redirect(self.get_success_url())


class TeacherCreateView(TeacherViewMixin, TeacherFormMixin, crud.CrudCreateView):
    pass


class TeacherUpdateView(TeacherViewMixin, TeacherFormMixin, crud.CrudUpdateView):
    pass


class TeacherDeleteView(TeacherViewMixin, crud.CrudDeleteView):
    """A person is deleted as far as the user's schools reach (`scoping.delete_teacher`)."""

    template_name = "teachers/teacher_confirm_delete.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        own = scoping.writable_schools(user)
        ctx["whole"] = scoping.role_of(user) == scoping.Role.ADMIN or not self.object.appointments.exclude(
            school__in=own).exists()
        ctx["own_positions"] = self.object.appointments.filter(school__in=own).select_related("school", "position")
        return ctx

    def form_valid(self, form):
        from django.contrib import messages

        with transaction.atomic():
            whole = scoping.delete_teacher(self.request.user, self.object)
        messages.success(self.request, "Запись удалена." if whole else
                         "Должности в вашей ОО удалены; сведения о работе в других ОО сохранены.")
        return redirect(self.get_success_url())


pickers.register("teacher", TeacherForm, "teacher-create")
pickers.register("appointment", AppointmentForm, "teacher-create")

urlpatterns = crud.crud_urls(
    "teachers", "teacher", list_view=TeacherListView, detail_view=TeacherDetailView,
    create_view=TeacherCreateView, update_view=TeacherUpdateView, delete_view=TeacherDeleteView,
)
