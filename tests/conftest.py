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


# -- the test database's lifetime -----------------------------------------------------------------------------------
# Two things outlive a test here, and the hooks below keep them from leaking into other tests, in whatever order
# the tests run (`make test` runs whole files on two xdist workers, in an order of xdist's choosing):
#
# * The demo district. Seeding it (27 schools, ~800 teachers and their history, the monitoring app's demo
#   reports) is the costliest thing a test can ask for, so it is done at most once a session: the first test that
#   names `demo_district` commits it to the test database (outside the per-test transactions, which roll back
#   whatever a test does to it) and it stays there, for the tests of the modules that use it. Those modules run
#   after the other database tests; when a test of another module (or a transactional one) comes after them all
#   the same, the district is purged first — and seeded again if a later module asks for it, which costs time
#   but never correctness.
# * Transactional tests (live server, a second connection) end with a flush that empties every table, reference
#   data included. pytest-django runs them after the others, but an xdist worker may get more files afterwards:
#   what `migrate` put in the database is kept as it was after migrating and restored before the next
#   non-transactional test (Django's serialized_rollback, applied after the test rather than before).
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


class SessionDatabase:
    """This process's test database: what `migrate` put in it, whether a flush emptied it since, the demo."""

    def __init__(self, blocker, migrated):
        self.blocker = blocker
        self.migrated = migrated  # serialized rows of every migrated model, as `migrate` left them
        self.flushed = False
        self.demo = None

    def restore(self):
        from django.contrib.contenttypes.models import ContentType
        from django.core.management import call_command
        from django.db import connection

        with self.blocker.unblock():
            # Content types and permissions that the flush's post_migrate made anew go too: the copy has the
            # original ones, with their primary keys. Sequences go on from where they were.
            call_command("flush", interactive=False, inhibit_post_migrate=True, reset_sequences=False,
                         verbosity=0)
            connection.creation.deserialize_db_from_string(self.migrated)
        ContentType.objects.clear_cache()
        self.flushed = False


DATABASE = pytest.StashKey[SessionDatabase]()
DEMO_MODULES = pytest.StashKey[set]()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """pytest-django's test database (built by `migrate`), and a copy of what it holds."""
    from django.db import connection

    with django_db_blocker.unblock():
        migrated = connection.creation.serialize_db_to_string()
    request.config.stash[DATABASE] = SessionDatabase(django_db_blocker, migrated)
    yield
    del request.config.stash[DATABASE]


@pytest.fixture(scope="session")
def demo_cache(request, django_db_setup, django_db_blocker):
    database = request.config.stash[DATABASE]
    database.demo = DemoDistrict(django_db_blocker)
    yield database.demo
    database.demo.drop()
    database.demo = None


@pytest.fixture
def demo_district(demo_cache, db):
    """The demo district (its Municipality), for tests that read it or change it only inside their transaction."""
    return demo_cache.get()


def _fixtures(item):
    return getattr(item, "fixturenames", ())


def _module(item):
    return item.nodeid.split("::")[0]


def _transactional(item):
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        from pytest_django.fixtures import validate_django_db

        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    return bool({"transactional_db", "live_server", "django_db_reset_sequences"} & set(_fixtures(item)))


@pytest.hookimpl(trylast=True)  # after pytest-django's order (database tests, transactional ones, the rest)
def pytest_collection_modifyitems(config, items):
    modules = {_module(item) for item in items if "demo_district" in _fixtures(item)}
    # Stable: the modules that read the demo district go after the other database tests, before transactional ones.
    items.sort(key=lambda item: 2 if _transactional(item) else 1 if _module(item) in modules else 0)
    config.stash[DEMO_MODULES] = modules


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    database = item.config.stash.get(DATABASE, None)
    if database is None:
        return
    transactional = _transactional(item)
    if database.flushed and not transactional:
        database.restore()
    if database.demo is not None and (transactional or _module(item) not in item.config.stash[DEMO_MODULES]):
        database.demo.drop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item):
    result = yield
    database = item.config.stash.get(DATABASE, None)
    if database is not None and _transactional(item):
        database.flushed = True
    return result
