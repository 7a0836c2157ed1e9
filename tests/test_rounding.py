"""Shares are rounded to one decimal, halves up, in integer arithmetic: the same as Decimal's ROUND_HALF_UP."""
from decimal import ROUND_HALF_UP, Decimal

from indicators.engine import percent


def reference(numerator, denominator):
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def test_every_small_share_rounds_like_decimal():
    for denominator in range(1, 320):
        for numerator in range(0, denominator + 2):
            got, want = percent(numerator, denominator), reference(numerator, denominator)
            assert (got, str(got)) == (want, str(want)), (numerator, denominator)


def test_halves_go_up_and_large_counts_are_exact():
    assert str(percent(1, 8)) == "12.5" and str(percent(1, 16)) == "6.3"  # 6.25 → 6.3
    assert str(percent(1, 3)) == "33.3" and str(percent(2, 3)) == "66.7"
    assert str(percent(0, 7)) == "0.0" and percent(3, 0) is None
    assert percent(59_813, 74_331) == reference(59_813, 74_331)


def test_share_cells_from_tenths_equal_the_decimal_path():
    """The share fast path (integer tenths, integer median) gives the cells `percent` and `_spread` give: values,
    their text (one decimal), pooled sums, and min / median / max including even counts and schools without
    staff."""
    import random

    from indicators.engine import SchoolRow, _share_cells, _spread

    rng = random.Random(7)
    schools = [SchoolRow(i, f"ОО {i}", 1, 1, "район", "кластер") for i in range(60)]
    dens = [rng.choice([0, 0, 1, 2, 3, 7, 8, 16, 40, 41]) for _ in schools]
    nums = [rng.randint(0, d) for d in dens]
    groups = [("cluster", "even", list(range(0, 20))), ("cluster", "odd", list(range(20, 41))),
              ("municipality", 1, list(range(60))), ("region", "region", [2, 5])]
    cells = {}
    _share_cells(cells, "X", "share", "%", schools, nums, dens, groups)
    for i, school in enumerate(schools):
        cell = cells[("X", "school", school.id)]
        want = percent(nums[i], dens[i])
        assert (cell.numerator, cell.denominator, cell.value, str(cell.value)) == (nums[i], dens[i], want, str(want))
    for level, key, members in groups:
        cell = cells[("X", level, key)]
        values = sorted(v for v in (percent(nums[i], dens[i]) for i in members) if v is not None)
        spread = _spread(values, "0.1") if values else None
        num, den = sum(nums[i] for i in members), sum(dens[i] for i in members)
        assert (cell.numerator, cell.denominator, cell.value) == (num, den, percent(num, den))
        assert cell.spread == spread and [str(v) for v in cell.spread or ()] == [str(v) for v in spread or ()]


def test_listed_cells_equal_the_general_path():
    """Counts, means and distributions built from per-school lists equal what `_cell` builds from fact lists."""
    import random
    from types import SimpleNamespace

    from indicators.engine import SchoolRow, _cell, _listed_cells

    rng = random.Random(11)
    schools = [SchoolRow(i, f"ОО {i}", 1, 1, "район", "кластер") for i in range(40)]
    groups = [("cluster", "a", list(range(0, 15))), ("cluster", "b", [15]), ("municipality", 1, list(range(40))),
              ("region", "empty", [])]
    staff = [rng.choice([0, 1, 5, 12, 30]) for _ in schools]
    cases = {
        ("count", "staff"): [(n, 0, n, None) for n in staff],
        ("count", "open_vacancies"): [(v, n + v, n, None) for n, v in ((n, rng.randint(0, 3)) for n in staff)],
        ("mean", "age"): [(n * rng.randint(25, 60), n, n, None) for n in staff],
        ("mean", "rate"): [(Decimal(rng.randint(0, 300)) / 100 if n else Decimal(0), min(n, 2), n, None)
                           for n in staff],
        ("distribution", "experience"): [(n, n, n, [("до 3 лет", n // 3), ("3–5", n - n // 3)]) for n in staff],
    }
    for (kind, numerator), facts in cases.items():
        ind = SimpleNamespace(code="X", kind=kind, unit="u", numerator=numerator)
        cells = {}
        assert _listed_cells(cells, ind, schools, facts, groups)
        for school, fact in zip(schools, facts):
            want = _cell(ind, (fact,), None)
            got = cells[("X", "school", school.id)]
            assert (got.numerator, got.denominator, got.value, str(got.value), got.spread, got.bands) == \
                (want.numerator, want.denominator, want.value, str(want.value), want.spread, want.bands), kind
        for level, key, members in groups:
            values = [v for v in (cells[("X", "school", schools[i].id)].value for i in members) if v is not None]
            want = _cell(ind, [facts[i] for i in members], values)
            got = cells[("X", level, key)]
            assert (got.numerator, got.denominator, got.value, str(got.value), got.spread,
                    [str(v) for v in got.spread or ()], got.bands) == \
                (want.numerator, want.denominator, want.value, str(want.value), want.spread,
                 [str(v) for v in want.spread or ()], want.bands), (kind, numerator, level, key)
