"""The one place that decides what a user may see and change.

Every list, detail, export, API answer and document takes its queryset from
`scoped(user, queryset)`; objects outside it answer 404, never a hint that
they exist. Models declare how they hang off a school or municipality:

* `scope_school_field` — lookup from the model to `School` (e.g. "teacher__appointments__school");
* `scope_municipality_field` — lookup to `Municipality` for district-level records
  (events, associations, campaigns); school heads see those of their municipality
  that are not another school's own.
"""
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from .models import Municipality, Role, School


def role_of(user):
    """The user's effective role (superusers are admins); None for anonymous or inactive users."""
    if not user or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    return user.role


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


def can_edit(user, obj=None, model=None):
    """May `user` create (obj=None) or change `obj`? `obj` must already be within `scoped`.

    Models marked `district_only` (the district's own records, such as the management cycle) are written by
    methodologists and admins only.
    """
    role = role_of(user)
    if role in (None, Role.VIEWER):
        return False
    if role in (Role.ADMIN, Role.METHODOLOGIST):
        return True
    model = model or (type(obj) if obj is not None else None)
    if model is not None and getattr(model, "district_only", False):
        return False
    if obj is None:
        return True
    # School heads change their school's records, and of district-level records
    # only those that belong to their school (a school-level event, ШМО, campaign).
    model = type(obj)
    if getattr(model, "scope_school_field", None):
        return True
    if getattr(model, "scope_municipality_field", None):
        return getattr(obj, "school_id", None) == user.school_id
    return False
