"""factory_boy factories for the staff domain. Reference rows come from fixtures/reference.json."""
from datetime import date

import factory
from factory.django import DjangoModelFactory

from teachers import models as m


def ref(model, code):
    return model.objects.get(code=code)


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = m.Municipality
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Тестовый район {n}")
    region = "Краснодарский край"
    office_name = factory.LazyAttribute(lambda o: f"Управление образованием администрации {o.name}")


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = m.School

    short_name = factory.Sequence(lambda n: f"СОШ №{n + 1}")
    full_name = factory.LazyAttribute(lambda o: f"МБОУ {o.short_name}")
    municipality = factory.SubFactory(MunicipalityFactory)
    cluster = factory.LazyFunction(lambda: ref(m.Cluster, "umksh"))


class TeacherFactory(DjangoModelFactory):
    class Meta:
        model = m.Teacher

    last_name = factory.Sequence(lambda n: f"Иванова{n}")
    first_name = "Мария"
    middle_name = "Петровна"
    birth_date = date(1980, 5, 17)
    ped_experience_start = date(2005, 9, 1)
    total_experience_start = date(2003, 9, 1)
    education_level = factory.LazyFunction(lambda: ref(m.EducationLevel, "higher-ped"))
    category = factory.LazyFunction(lambda: ref(m.QualificationCategory, "first"))


class AppointmentFactory(DjangoModelFactory):
    class Meta:
        model = m.Appointment

    teacher = factory.SubFactory(TeacherFactory)
    school = factory.SubFactory(SchoolFactory)
    position = factory.LazyFunction(lambda: ref(m.Position, "teacher"))
    employment = m.Employment.MAIN
    weekly_hours = 18
    rate = 1
    hired = date(2015, 9, 1)


def make_teacher(school, *, hired=date(2015, 9, 1), dismissed=None, employment=m.Employment.MAIN, **teacher_fields):
    """A teacher holding one position at `school`."""
    teacher = TeacherFactory(**teacher_fields)
    AppointmentFactory(teacher=teacher, school=school, hired=hired, dismissed=dismissed, employment=employment)
    return teacher


class UserFactory(DjangoModelFactory):
    class Meta:
        model = m.User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-123456")
    role = m.Role.VIEWER


class CampaignFactory(DjangoModelFactory):
    class Meta:
        model = m.DiagnosticCampaign

    title = factory.Sequence(lambda n: f"Диагностика предметных компетенций {n}")
    organizer = m.DiagnosticCampaign.Organizer.CNPPM
    municipality = factory.SubFactory(MunicipalityFactory)
    start_date = date(2025, 4, 1)
    end_date = date(2025, 4, 20)


class EventFactory(DjangoModelFactory):
    class Meta:
        model = m.Event

    title = factory.Sequence(lambda n: f"Мероприятие {n}")
    kind = factory.LazyFunction(lambda: ref(m.EventKind, "seminar"))
    level = factory.LazyFunction(lambda: ref(m.EventLevel, "municipal"))
    municipality = factory.SubFactory(MunicipalityFactory)
    start_date = date(2025, 3, 10)
    end_date = date(2025, 3, 10)
