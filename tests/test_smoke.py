def test_login_page_is_russian(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "Вход в систему" in response.content.decode()


def test_home_requires_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_models_and_migrations_agree(db):
    """A model change without its migration would break `make run` on a fresh database."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
