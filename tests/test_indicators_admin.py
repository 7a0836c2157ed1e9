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


def test_next_year_version_opens_the_add_form_prefilled_and_closes_the_previous_one(admin_client, db):
    import re

    from indicators.admin import next_version_year
    from indicators.models import Indicator

    source = Indicator.objects.filter(code="D1", valid_to__isnull=True).get()
    change = admin_client.get(f"/admin/indicators/indicator/{source.pk}/change/").content.decode()
    assert f"/admin/indicators/indicator/add/?from={source.pk}" in change
    # The list's action leads to the same form.
    response = admin_client.post("/admin/indicators/indicator/", {
        "action": "next_year_version", "_selected_action": [source.pk]})
    assert response["Location"] == f"/admin/indicators/indicator/add/?from={source.pk}"
    year = next_version_year(source)
    form = admin_client.get(response["Location"]).content.decode()
    assert re.search(rf'name="valid_from" value="{year}"', form)
    assert f'name="numerator" value="{source.numerator}"' in form
    assert 'name="close_previous"' in form
    # Submitting the form as it came (a changed wording only) saves the new version and closes the old one.
    inputs = re.findall(r'<input type="(?:text|number)" name="(\w+)" value="([^"]*)"', form)
    data = dict(inputs)
    data.update(kind=source.kind, subject=source.subject, staff=source.staff, direction=source.direction_id,
                name=source.name + " (ред.)", close_previous="on")
    data.update({k: "on" for k in ("higher_is_better", "for_rating") if getattr(source, k)})
    data.setdefault("valid_to", "")
    saved = admin_client.post(response["Location"], data)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    new = Indicator.objects.get(code="D1", valid_from=year)
    assert new.name.endswith("(ред.)") and new.numerator == source.numerator and new.valid_to is None
    source.refresh_from_db()
    assert source.valid_to == year - 1


def test_next_year_version_needs_one_indicator(admin_client, db):
    from indicators.models import Indicator

    ids = list(Indicator.objects.values_list("pk", flat=True)[:2])
    response = admin_client.post("/admin/indicators/indicator/", {
        "action": "next_year_version", "_selected_action": ids}, follow=True)
    assert "Выберите один показатель" in response.content.decode()
