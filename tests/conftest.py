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


# -- the demo district, seeded once per session ---------------------------------------------------------------------
# Seeding it (27 schools, ~800 teachers and their history, the monitoring app's demo reports) is the costliest thing
# a test can ask for, so it is done at most once a session: the first test that names `demo_district` commits it
# to the test database (outside the per-test transactions, which roll back whatever a test does to it), and it
# stays there until the session ends. No other test may see it: the modules that use it run last
# (pytest_collection_modifyitems below), and should something still run another module after them (xdist
# reordering its work units, say), the district is purged before that module's first test — and seeded again if
# a later module asks for it, which costs time but never correctness.
DEMO_SEED = 7


class DemoDistrict:
    """The session's copy of the demo district: seeded on first use, purged when the session (or its run) ends."""

    def __init__(self, blocker):
        self.blocker = blocker
        self.municipality = None
        self.seeded = 0  # how many times this session paid for it (tests/test_seed_demo.py checks: once)

    def get(self):
        if self.municipality is None:
            from teachers import demo

            with self.blocker.unblock():
                if demo.district_exists():  # left behind by an interrupted run on a kept database (--reuse-db)
                    demo.purge_district()
                self.municipality = demo.seed_district(seed=DEMO_SEED)
            self.seeded += 1
        return self.municipality

    def drop(self):
        if self.municipality is not None:
            from teachers import demo

            with self.blocker.unblock():
                demo.purge_district()
            self.municipality = None


DEMO_CACHE = pytest.StashKey[DemoDistrict]()
DEMO_MODULES = pytest.StashKey[set]()


@pytest.fixture(scope="session")
def demo_cache(request, django_db_setup, django_db_blocker):
    cache = request.config.stash[DEMO_CACHE] = DemoDistrict(django_db_blocker)
    yield cache
    cache.drop()
    del request.config.stash[DEMO_CACHE]


@pytest.fixture
def demo_district(demo_cache, db):
    """The demo district (its Municipality), for tests that read it or change it only inside their transaction."""
    return demo_cache.get()


def _module(item):
    return item.nodeid.split("::")[0]


@pytest.hookimpl(trylast=True)  # after pytest-django has put transactional tests after the others
def pytest_collection_modifyitems(config, items):
    modules = {_module(item) for item in items if "demo_district" in getattr(item, "fixturenames", ())}
    items.sort(key=lambda item: _module(item) in modules)  # stable: the order within each group is kept
    config.stash[DEMO_MODULES] = modules


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    cache = item.config.stash.get(DEMO_CACHE, None)
    if cache is not None and _module(item) not in item.config.stash.get(DEMO_MODULES, set()):
        cache.drop()
