def test_login_page_is_russian(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "Вход в систему" in response.content.decode()


def test_home_requires_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
