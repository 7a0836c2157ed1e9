import pytest

from teachers import models as m

from .browser_support import login, page, reference_data  # noqa: F401
from .conftest import PASSWORD
from .factories import MunicipalityFactory, SchoolFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_head_logs_in_and_sees_their_menu(page, live_server, reference_data):  # noqa: F811
    school = SchoolFactory(short_name="СОШ №1", municipality=MunicipalityFactory(name="Район"))
    UserFactory(username="head", role=m.Role.SCHOOL_HEAD, school=school, municipality=school.municipality)
    login(page, live_server, "head", PASSWORD)
    menu = page.locator("[data-testid=menu]").inner_text()
    assert "Главная" in menu and "Администрирование" not in menu
    assert "СОШ №1" in page.locator("[data-testid=whoami]").inner_text()


def test_a_wrong_password_shows_a_russian_error(page, live_server, reference_data):  # noqa: F811
    UserFactory(username="someone", role=m.Role.ADMIN)
    login(page, live_server, "someone", "wrong")
    assert "Неверное имя пользователя или пароль" in page.content()
