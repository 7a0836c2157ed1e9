"""A new document is a builder, a template and a test: registering one needs no migration and no other code.

The toy document below is what a new one looks like — a builder that renders its own template — and it is
ordered, built and downloaded like the real ones."""
import pytest
from django.core.management import call_command
from django.urls import reverse

from reports.documents import registry
from reports.documents.base import ALL_ROLES, TEXT, Document, JobError, municipality_for, year_of
from reports.documents.render import document
from reports.models import Job

TOY_TEMPLATE = """{% extends "reports/pdf_base.html" %}{% block body %}<h1>{{ title }}</h1>
<p>{{ municipality }}, {{ year }} год.</p>{% endblock %}"""


def build_toy(user, params, fmt, progress):
    municipality = municipality_for(user, params)
    year = year_of(params)
    return f"toy-{year}", document("toy/toy.html", {"title": "Проверочный документ", "municipality": municipality,
                                                    "year": year}, fmt)


TOY = Document("toy", "Проверочный документ", TEXT, ALL_ROLES, build_toy)


@pytest.fixture
def toy(monkeypatch, settings, tmp_path):
    (tmp_path / "toy").mkdir()
    (tmp_path / "toy" / "toy.html").write_text(TOY_TEMPLATE, encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    monkeypatch.setitem(registry.REGISTRY, TOY.kind, TOY)
    return TOY


def test_a_registered_builder_is_ordered_built_and_downloaded(client, methodologist, municipality, toy,
                                                              django_capture_on_commit_callbacks):
    client.force_login(methodologist)
    assert "Проверочный документ" in client.get(reverse("documents")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents"), {"kind": "toy", "fmt": "pdf", "municipality": municipality.pk,
                                                      "year": 2025})
    job = Job.objects.get()
    assert response.status_code == 302 and job.kind == "toy"
    assert job.status == "done", job.message
    assert job.file_name == "toy-2025.pdf" and job.title == "Проверочный документ за 2025 год"
    download = client.get(reverse("document-download", args=[job.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_new_document_needs_no_migration(db, toy):
    # Job.kind is a plain string checked against the registry: registering a kind changes no model state.
    call_command("makemigrations", "reports", "--check", "--dry-run", verbosity=0)


def test_the_registry_lists_every_document_once_and_refuses_a_second_kind():
    assert [d.kind for d in registry.DOCUMENTS] == list(registry.REGISTRY)
    with pytest.raises(ValueError):
        registry.register(registry.REGISTRY["vacancies"])
    assert all(len(kind) <= Job._meta.get_field("kind").max_length for kind in registry.REGISTRY)


def test_an_unknown_kind_is_refused_by_the_form_and_by_the_task(client, methodologist, municipality):
    client.force_login(methodologist)
    response = client.post(reverse("documents"), {"kind": "toy", "fmt": "pdf", "municipality": municipality.pk,
                                                  "year": 2025})
    assert response.status_code == 200 and "Выберите корректный вариант" in response.content.decode()
    assert not Job.objects.exists()
    with pytest.raises(JobError, match="Неизвестный документ"):
        registry.check(methodologist, "toy", {"municipality": municipality.pk, "year": 2025})


def test_the_admin_names_a_job_by_the_registry(client, admin_user, municipality):
    Job.objects.create(owner=admin_user, kind="vacancies", fmt="pdf", title="x", params={})
    client.force_login(admin_user)
    page = client.get(reverse("admin:reports_job_changelist")).content.decode()
    assert "База вакансий" in page
    page = client.get(reverse("admin:reports_job_changelist") + "?kind=vacancies").content.decode()
    assert page.count('class="field-title"') == 1


def test_a_job_of_a_removed_kind_is_still_listed_readably(client, methodologist, admin_user, municipality):
    """A kind taken out of the registry leaves its jobs: the owner's list, the job page and the admin show them
    by their stored title and kind; «заказать снова» is refused in Russian and the task fails the job plainly."""
    from reports import tasks

    job = Job.objects.create(owner=methodologist, kind="removed-kind", fmt="pdf", title="Старый документ",
                             params={"year": 2025})
    client.force_login(methodologist)
    for url in (reverse("documents"), reverse("document-job", args=[job.pk])):
        response = client.get(url)
        assert response.status_code == 200 and "Старый документ" in response.content.decode(), url
    assert client.get(reverse("document-job-status", args=[job.pk])).status_code == 200
    assert client.get(reverse("document-download", args=[job.pk])).status_code == 404
    response = client.post(reverse("document-retry", args=[job.pk]))
    assert response.status_code == 403 and "Неизвестный документ" in response.content.decode()
    assert Job.objects.count() == 1
    assert tasks.build_document(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.message == "Неизвестный документ."
    client.force_login(admin_user)
    for url in (reverse("admin:reports_job_changelist"), reverse("admin:reports_job_changelist") + "?kind=removed-kind",
                reverse("admin:reports_job_change", args=[job.pk])):
        response = client.get(url)
        assert response.status_code == 200 and "removed-kind" in response.content.decode(), url
