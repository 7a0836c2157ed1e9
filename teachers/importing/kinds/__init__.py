"""The import kinds: each a small declaration (columns, context, matching, what a row creates).

`KINDS` is what the import page, the template generator, the preview and the bench iterate.
"""
from .courses import CourseCompletions
from .diagnostics import DiagnosticResults
from .memberships import Memberships
from .mentorships import Mentorships
from .participants import Participants
from .staff import Staff
from .vacancies import Vacancies

KINDS = [Staff(), DiagnosticResults(), CourseCompletions(), Participants(), Memberships(), Mentorships(),
         Vacancies()]
BY_CODE = {kind.code: kind for kind in KINDS}


def get(code):
    return BY_CODE.get(code)


def available(user):
    """The kinds `user` may import (none for viewers)."""
    from teachers import scoping

    role = scoping.role_of(user)
    if role not in scoping.EDITOR_ROLES:
        return []
    return [kind for kind in KINDS if not (kind.district_only and role == scoping.Role.SCHOOL_HEAD)]


__all__ = ["BY_CODE", "KINDS", "available", "get"]
