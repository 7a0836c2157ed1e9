"""The one place that decides what a user may see and change.

Reading. Every list, detail, export, API answer and document takes its queryset from
`scoped(user, queryset)`; objects outside it answer 404, never a hint that
they exist. Models declare how they hang off a school or municipality:

* `scope_school_field` — lookup from the model to `School` (e.g. "teacher__appointments__school");
* `scope_municipality_field` — lookup to `Municipality` for district-level records
  (events, associations, campaigns); school heads see those of their municipality
  that are not another school's own.

Writing. `writable(user, queryset)` narrows to what the user may change; every form, formset, bulk page,
import and delete asks it (through `can_edit`, `write_problem` and the forms of `teachers.crud`). Models
whose records are about one person declare `scope_person_field` (the lookup to `Teacher`). The rule for
people who work at several schools (DESIGN §7):

* a school head changes the records of people who currently work at their school ("held" people, see
  `teachers_held`): that school's appointments and the person's development records. A school the person
  has left keeps read access to its own history only;
* identity fields (ФИО, birth date, СНИЛС, contacts, category, education) change only while no school
  outside the user's schools currently employs the person (`identity_keepers` names whom to ask);
* "delete" removes the appointments at the user's schools (`delete_teacher`), never another school's data;
  the person goes too only when no appointment is left anywhere.

Roles. Views declare the roles that may open them with `@for_roles(...)` or `RolesMixin`; the menu reads
the same declaration (`view_roles`), so the menu never shows a link that would refuse.
"""
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.urls import NoReverseMatch, resolve, reverse
from django.utils import timezone

from .models import Municipality, Role, School

ALL_ROLES = (Role.ADMIN, Role.METHODOLOGIST, Role.SCHOOL_HEAD, Role.VIEWER)
DISTRICT_ROLES = (Role.ADMIN, Role.METHODOLOGIST, Role.VIEWER)  # everyone who reads the whole district
EDITOR_ROLES = (Role.ADMIN, Role.METHODOLOGIST, Role.SCHOOL_HEAD)
STAFF_ROLES = (Role.ADMIN, Role.METHODOLOGIST)


def role_of(user):
    """The user's effective role (superusers are admins); None for anonymous or inactive users."""
    if not user or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    return user.role


def is_school_head(user):
    """Does the user act as a school head (sees their school's rows and only aggregates beyond it)?"""
    return role_of(user) == Role.SCHOOL_HEAD


def schools_for(user):
    """Schools whose records the user may see."""
    role = role_of(user)
    if role is None:
        return School.objects.none()
    if role == Role.ADMIN:
        return School.objects.all()
    if role == Role.SCHOOL_HEAD:
        return School.objects.filter(pk=user.school_id)
    return School.objects.filter(municipality_id=user.municipality_id)


def municipalities_for(user):
    role = role_of(user)
    if role is None:
        return Municipality.objects.none()
    if role == Role.ADMIN:
        return Municipality.objects.all()
    if role == Role.SCHOOL_HEAD:
        return Municipality.objects.filter(schools__pk=user.school_id)
    return Municipality.objects.filter(pk=user.municipality_id)


def default_municipality(user):
    """The municipality a page opens on when none is asked for: the first by name of those the user may see
    (None when there is none)."""
    return municipalities_for(user).order_by("name").first()


def pick_municipality(user, wanted=None):
    """The municipality the user asked for (its id, already read from the request) among those they may see, or
    `default_municipality` when `wanted` is None. 404 when it is not theirs or they see none — the one rule for
    every page, document and API that lets the user choose a municipality."""
    if wanted is None:
        municipality = default_municipality(user)
        if municipality is None:
            raise Http404("Нет доступных муниципалитетов.")
        return municipality
    try:
        return municipalities_for(user).get(pk=wanted)
    except Municipality.DoesNotExist:
        raise Http404("Муниципалитет не найден.") from None


def _user_municipality_id(user):
    if role_of(user) == Role.SCHOOL_HEAD:
        return user.school.municipality_id
    return user.municipality_id


def scoped(user, queryset):
    """`queryset` narrowed to what `user` may see."""
    model = queryset.model
    role = role_of(user)
    if role is None:
        return queryset.none()
    if role == Role.ADMIN:
        return queryset
    if model is Municipality:
        return queryset.filter(pk__in=municipalities_for(user).values("pk"))
    school_field = getattr(model, "scope_school_field", None)
    if school_field:
        if school_field == "pk":
            return queryset.filter(pk__in=schools_for(user).values("pk"))
        return queryset.filter(_reaches(model, school_field, schools_for(user)))
    municipality_field = getattr(model, "scope_municipality_field", None)
    if municipality_field:
        qs = queryset.filter(**{f"{municipality_field}_id": _user_municipality_id(user)})
        if role == Role.SCHOOL_HEAD and _has_field(model, "school"):
            qs = qs.filter(Q(school__isnull=True) | Q(school_id=user.school_id))
        if role == Role.SCHOOL_HEAD and hasattr(model, "scope_for_school_head"):
            # Records addressed to particular schools (recommendations) narrow further by their own rule.
            qs = model.scope_for_school_head(qs, user)
        return qs
    # Reference data and other unscoped models: readable by every signed-in user.
    return queryset


def _reaches(model, path, schools):
    """A condition keeping the rows of `model` whose `path` leads to one of `schools`, never duplicating a row.

    A single-valued path filters directly; a path through a one-to-many hop (a teacher's several appointments)
    becomes EXISTS over that hop's model, correlated with the outer row — cheaper to plan and run than the
    primary keys of a joined copy of the table."""
    opts, hops = model._meta, path.split("__")
    for i, name in enumerate(hops):
        field = opts.get_field(name)
        rest = "__".join(hops[i + 1:])
        if field.one_to_many and rest:
            outer = OuterRef("__".join(hops[:i])) if i else OuterRef("pk")
            return Exists(field.related_model._default_manager.filter(
                **{field.field.name: outer, f"{rest}__in": schools}))
        if field.many_to_many or field.one_to_many:
            inner = model._default_manager.filter(**{f"{path}__in": schools}).values("pk")
            return Q(pk__in=inner)
        if not field.is_relation:
            break
        opts = field.related_model._meta
    return Q(**{f"{path}__in": schools})


def _has_field(model, name):
    try:
        model._meta.get_field(name)
    except Exception:
        return False
    return True


def get_scoped_object_or_404(user, queryset, **lookup):
    try:
        return scoped(user, queryset).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404("Объект не найден.") from None


# -- writing -------------------------------------------------------------------------------------------------

def _today():
    return timezone.localdate()


def writable_schools(user):
    """Schools whose records (appointments, vacancies, reports…) the user may change."""
    if role_of(user) in (None, Role.VIEWER):
        return School.objects.none()
    return schools_for(user)


def teachers_held(user, on=None):
    """People whose school-level records the user may change.

    A school head holds the people who work at their school on `on` (today); a methodologist every person of
    their municipality's schools, past staff included (corrections of history are theirs to make)."""
    from .models import Teacher

    role = role_of(user)
    if role in (None, Role.VIEWER):
        return Teacher.objects.none()
    if role == Role.ADMIN:
        return Teacher.objects.all()
    if role == Role.SCHOOL_HEAD:
        return Teacher.objects.active_on(on or _today(), schools=[user.school_id])
    return scoped(user, Teacher.objects.all())


def _employed_elsewhere(user, on=None):
    """Condition on Teacher: some school outside the user's schools employs the person on `on`."""
    from .models import Appointment

    return Exists(Appointment.objects.active_on(on or _today()).filter(teacher=OuterRef("pk")).exclude(
        school__in=writable_schools(user)))


def teachers_with_editable_identity(user, on=None):
    """People whose identity fields (ФИО, birth date, СНИЛС, contacts, category…) the user may change."""
    if role_of(user) == Role.ADMIN:
        return teachers_held(user)
    return teachers_held(user, on).exclude(_employed_elsewhere(user, on))


def kept_elsewhere_ids(user, teacher_ids, on=None):
    """Of `teacher_ids`, the people a school outside the user's currently employs (identity read-only)."""
    from .models import Appointment

    if role_of(user) == Role.ADMIN:
        return set()
    return set(Appointment.objects.active_on(on or _today()).filter(teacher_id__in=teacher_ids).exclude(
        school__in=writable_schools(user)).values_list("teacher_id", flat=True))


def identity_editable(user, teacher):
    return teachers_with_editable_identity(user).filter(pk=teacher.pk).exists()


def identity_keepers(user, teacher, on=None):
    """Schools outside the user's that currently employ `teacher`: whom to ask about the person's data."""
    from .models import Appointment

    if role_of(user) == Role.ADMIN:
        return School.objects.none()
    ids = Appointment.objects.active_on(on or _today()).filter(teacher=teacher).exclude(
        school__in=writable_schools(user)).values("school")
    return School.objects.filter(pk__in=ids).order_by("short_name")


def _person_path(model):
    return getattr(model, "scope_person_field", None)


def writable(user, queryset):
    """`queryset` narrowed to the records `user` may change (create, edit, delete)."""
    model = queryset.model
    role = role_of(user)
    if role in (None, Role.VIEWER):
        return queryset.none()
    if role == Role.ADMIN:
        return queryset
    if getattr(model, "district_only", False) and role != Role.METHODOLOGIST:
        return queryset.none()
    qs = scoped(user, queryset)
    if model is School:
        return qs
    if getattr(model, "scope_school_field", None) is None and getattr(model, "scope_municipality_field", None):
        # District-level records (events, campaigns, associations): a head changes only their school's own.
        if role == Role.SCHOOL_HEAD:
            return qs.filter(school_id=user.school_id) if _has_field(model, "school") else qs.none()
        return qs
    person = _person_path(model)
    if person is not None:
        held = teachers_held(user)
        qs = qs.filter(pk__in=held.values("pk")) if person == "" else qs.filter(**{f"{person}__in": held})
    return qs


def owner_fields(model):
    """Names of the model's foreign keys through which it belongs to a school or a person.

    A form may set these only to objects the user may write (a teacher the head holds, the head's own
    school); other foreign keys (the event attended, the campaign) only need to be readable."""
    names = set()
    for path in (getattr(model, "scope_school_field", None), _person_path(model)):
        if path:
            names.add(path.split("__")[0])
    if getattr(model, "scope_municipality_field", None) and _has_field(model, "school"):
        names.add("school")
    return {name for name in names if _has_field(model, name) and model._meta.get_field(name).many_to_one}


def write_problem(user, instance):
    """Why `user` may not save `instance` as it now stands (a Russian sentence), or None.

    Checks the values the instance would be saved with — the school, the person, the route it hangs on —
    so a POST that swaps a foreign key for one outside the user's write scope is refused."""
    model = type(instance)
    role = role_of(user)
    if role in (None, Role.VIEWER):
        return "Недостаточно прав для изменения данных."
    if role == Role.ADMIN:
        return None
    if getattr(model, "district_only", False) and role != Role.METHODOLOGIST:
        return "Эти записи ведёт муниципальная методическая служба."
    for name in sorted(owner_fields(model)):
        field = model._meta.get_field(name)
        value = getattr(instance, field.attname, None)
        if value is None:
            if name == "school" and role == Role.SCHOOL_HEAD and getattr(model, "scope_municipality_field", None):
                return "Руководитель ОО может добавлять только записи своей ОО: укажите свою ОО."
            continue
        if not writable(user, field.related_model._default_manager.filter(pk=value)).exists():
            return f"Нельзя указать «{field.verbose_name}»: эта запись вне ваших прав на изменение."
    municipality_field = getattr(model, "scope_municipality_field", None)
    if municipality_field and getattr(model, "scope_school_field", None) is None:
        value = getattr(instance, f"{municipality_field}_id", None)
        if value is not None and not municipalities_for(user).filter(pk=value).exists():
            return "Муниципалитет вне ваших прав на изменение."
    return None


def can_edit(user, obj=None, model=None):
    """May `user` create records (obj=None; of `model` if given) or change `obj`? `obj` must be within `scoped`.

    Models marked `district_only` (the district's own records, such as the management cycle) are written by
    methodologists and admins only. A school object stands for "the records of this school" (its report).
    """
    role = role_of(user)
    if role in (None, Role.VIEWER):
        return False
    frozen = getattr(obj, "read_only_reason", None)  # a record of a closed monitoring year: nobody changes it
    if callable(frozen) and frozen():
        return False
    if role == Role.ADMIN:
        return True
    model = model or (type(obj) if obj is not None else None)
    if model is not None and getattr(model, "district_only", False):
        return role == Role.METHODOLOGIST
    if obj is None:
        return True
    if not (getattr(model, "scope_school_field", None) or getattr(model, "scope_municipality_field", None)):
        return role == Role.METHODOLOGIST
    return writable(user, model._default_manager.filter(pk=obj.pk)).exists()


def delete_teacher(user, teacher):
    """"Delete" a person as far as the user's schools reach, never another school's data.

    The appointments at the user's schools go; the person record (and with it their development records) goes
    only when no appointment at any school is left — for an admin always. Returns True when the person was
    deleted. Runs in the caller's transaction."""
    from .models import Appointment

    if not can_edit(user, teacher):
        raise PermissionDenied("Недостаточно прав для удаления этой записи.")
    if role_of(user) == Role.ADMIN:
        teacher.delete()
        return True
    for appointment in Appointment.objects.filter(teacher=teacher, school__in=writable_schools(user)):
        appointment.delete()
    if not Appointment.objects.filter(teacher=teacher).exists():
        teacher.delete()
        return True
    return False


# -- roles of views ------------------------------------------------------------------------------------------

ROLE_DENIED = "Эта страница недоступна для вашей роли."


def check_role(user, roles, message=None):
    if role_of(user) not in roles:
        raise PermissionDenied(message or ROLE_DENIED)


def for_roles(*roles, message=None):
    """Decorator for a function view: only these roles may open it (others get 403); the menu reads it."""
    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.is_authenticated:  # anonymous users are sent to the login page by the middleware
                check_role(request.user, roles, message)
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = tuple(roles)
        return wrapped
    return decorate


class RolesMixin:
    """For class views: `allowed_roles` may open the view (others get 403); the menu reads it."""

    allowed_roles = ALL_ROLES
    role_denied_message = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            check_role(request.user, self.allowed_roles, self.role_denied_message)
        return super().dispatch(request, *args, **kwargs)


def view_roles(url_name, *args):
    """The roles the view behind `url_name` admits (every role when it declares none)."""
    try:
        func = resolve(reverse(url_name, args=args)).func
    except NoReverseMatch:
        raise RuntimeError(f"Unknown URL name {url_name!r}") from None
    view_class = getattr(func, "view_class", None)
    roles = getattr(func, "allowed_roles", None) or getattr(view_class, "allowed_roles", None)
    if url_name.startswith("admin:"):
        roles = (Role.ADMIN,)
    return tuple(roles or ALL_ROLES)


def may_open(user, url_name, *args):
    return role_of(user) in view_roles(url_name, *args)
