from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as AuthUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from .schools import Municipality, School


class Role(models.TextChoices):
    ADMIN = "admin", "администратор"
    METHODOLOGIST = "methodologist", "методист"
    SCHOOL_HEAD = "school_head", "руководитель ОО"
    VIEWER = "viewer", "специалист УО (просмотр)"


class UserManager(AuthUserManager):
    # Historical models in migrations keep a plain manager: no migration imports this (live) class.
    use_in_migrations = False

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """`createsuperuser` makes an administrator (the default role, viewer, would need a municipality)."""
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A user with one role and the scope that role needs (municipality or school)."""

    objects = UserManager()

    role = models.CharField("роль", max_length=20, choices=Role.choices, default=Role.VIEWER)
    municipality = models.ForeignKey(
        Municipality, models.PROTECT, null=True, blank=True, related_name="users", verbose_name="муниципалитет"
    )
    school = models.ForeignKey(School, models.PROTECT, null=True, blank=True, related_name="users", verbose_name="ОО")
    patronymic = models.CharField("отчество", max_length=150, blank=True)
    position_title = models.CharField("должность", max_length=200, blank=True)

    class Meta:
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="school_head") | Q(school__isnull=False), name="school_head_has_school"
            ),
            models.CheckConstraint(
                condition=~Q(role__in=["methodologist", "viewer"]) | Q(municipality__isnull=False),
                name="municipal_roles_have_municipality",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        name = " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)
        return name or self.username

    def clean(self):
        if self.role == Role.SCHOOL_HEAD and not self.school_id:
            raise ValidationError({"school": "Руководителю ОО нужно указать ОО."})
        if self.role in (Role.METHODOLOGIST, Role.VIEWER) and not self.municipality_id:
            raise ValidationError({"municipality": "Укажите муниципалитет."})
        if self.school_id and self.role == Role.SCHOOL_HEAD:
            self.municipality_id = self.school.municipality_id
