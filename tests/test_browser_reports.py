"""Issue 6 in a real browser: a methodologist orders the аналитическая справка, sees its progress, downloads the PDF."""
import pytest

from reports.models import Job
from teachers import models as m

from .browser_support import login, page, reference_data  # noqa: F401
from .conftest import PASSWORD
from .factories import MunicipalityFactory, SchoolFactory, UserFactory, make_teacher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_methodologist_orders_and_downloads_the_briefing(page, live_server, reference_data):  # noqa: F811
    municipality = MunicipalityFactory(name="Район")
    school = SchoolFactory(short_name="СОШ №1", municipality=municipality)
    make_teacher(school)
    UserFactory(username="metod", role=m.Role.METHODOLOGIST, municipality=municipality)

    login(page, live_server, "metod", PASSWORD)
    page.goto(f"{live_server.url}/reports/")
    page.select_option("select[name=kind]", "briefing")
    page.select_option("select[name=fmt]", "pdf")
    page.fill("input[name=year]", "2025")
    page.click("[data-testid=order-form] button[type=submit]")
    page.wait_for_selector("[data-testid=job-download]:not(.d-none)", timeout=60_000)
    assert page.inner_text("[data-testid=job-status]") == "готов"
    assert "100" in page.inner_text("[data-testid=job-progress]")
    with page.expect_download() as info:
        page.click("[data-testid=job-download]")
    download = info.value
    assert download.suggested_filename == "analiticheskaya-spravka-2025.pdf"
    with open(download.path(), "rb") as f:
        assert f.read(4) == b"%PDF"
    assert Job.objects.get().status == "done"
    page.goto(f"{live_server.url}/reports/")
    assert "Аналитическая справка по итогам мониторинга за 2025 год" in page.inner_text("[data-testid=my-jobs]")
