"""Admins edit the catalogue: a new share from existing populations, no code."""
def test_admin_defines_a_new_share_from_existing_populations(admin_client, db):
    from indicators.models import Direction, Indicator

    response = admin_client.post("/admin/indicators/indicator/add/", {
        "code": "X9", "name": "Доля молодых специалистов, прошедших курсы ПК", "short_name": "Молодые на курсах",
        "direction": Direction.objects.get(code="young").pk, "order": 99, "kind": "share", "subject": "teachers",
        "numerator": "young+course", "denominator": "young", "staff": "main", "unit": "%",
        "higher_is_better": "on", "valid_from": 2021, "source": "",
    })
    assert response.status_code == 302, response.content.decode()[:500]
    assert Indicator.objects.filter(code="X9").exists()
    bad = admin_client.post("/admin/indicators/indicator/add/", {
        "code": "X8", "name": "x", "short_name": "x", "direction": Direction.objects.first().pk, "order": 1,
        "kind": "share", "subject": "teachers", "numerator": "nonsense", "denominator": "staff", "staff": "main",
        "unit": "%", "valid_from": 2021,
    })
    assert "Неизвестные популяции: nonsense" in bad.content.decode()
