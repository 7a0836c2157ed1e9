"""Fixed personas (healthchecks style): an admin, a methodologist, the heads of schools A and B, a viewer."""
import pytest

from teachers import models as m

from .factories import MunicipalityFactory, SchoolFactory, UserFactory

PASSWORD = "pass-123456"


# Reference data (clusters, positions, …) come with the migrations that build the test database.


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(name="Усть-Лабинский район")


@pytest.fixture
def other_municipality(db):
    return MunicipalityFactory(name="Соседний район")


@pytest.fixture
def school_a(municipality):
    return SchoolFactory(short_name="СОШ №1", municipality=municipality, cluster=m.Cluster.objects.get(code="gymnasium"))


@pytest.fixture
def school_b(municipality):
    return SchoolFactory(short_name="СОШ №2", municipality=municipality, cluster=m.Cluster.objects.get(code="mksh"))


@pytest.fixture
def school_far(other_municipality):
    return SchoolFactory(short_name="СОШ №9", municipality=other_municipality)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", role=m.Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def methodologist(municipality):
    return UserFactory(username="metod", role=m.Role.METHODOLOGIST, municipality=municipality, first_name="Юлия")


@pytest.fixture
def head_a(school_a):
    return UserFactory(username="head_a", role=m.Role.SCHOOL_HEAD, school=school_a, municipality=school_a.municipality)


@pytest.fixture
def head_b(school_b):
    return UserFactory(username="head_b", role=m.Role.SCHOOL_HEAD, school=school_b, municipality=school_b.municipality)


@pytest.fixture
def viewer(municipality):
    return UserFactory(username="viewer", role=m.Role.VIEWER, municipality=municipality)


@pytest.fixture
def personas(admin_user, methodologist, head_a, head_b, viewer):
    return {"admin": admin_user, "methodologist": methodologist, "head_a": head_a, "head_b": head_b, "viewer": viewer}


def client_for(client, user):
    client.force_login(user)
    return client
