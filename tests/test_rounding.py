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


def _reference_spread(values, places):
    """The spread as plain Decimal arithmetic: min, median (an even count: the mean of the middle two rounded half
    up like the values; counts to one decimal), max."""
    n, i = len(values), len(values) // 2
    if n % 2:
        middle = values[i]
    elif isinstance(values[i], int):
        middle = Decimal(str((values[i - 1] + values[i]) / 2)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    else:
        middle = ((values[i - 1] + values[i]) / 2).quantize(Decimal(places), rounding=ROUND_HALF_UP)
    return values[0], middle, values[-1]


def _reference_mean(total, count, places):
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def test_the_one_cell_builder_equals_plain_decimal_arithmetic():
    """Every kind through `_build_cells`: values and their text (one decimal for shares, the measure's places for
    means), pooled sums, min / median / max including even counts and schools without staff, bands summed."""
    import random
    from types import SimpleNamespace

    from indicators.engine import SchoolRow, _build_cells

    rng = random.Random(7)
    schools = [SchoolRow(i, f"ОО {i}", 1, 1, "район", "кластер") for i in range(60)]
    groups = [("cluster", "even", list(range(0, 20))), ("cluster", "odd", list(range(20, 41))),
              ("municipality", 1, list(range(60))), ("region", "two", [2, 5]), ("region", "empty", [])]
    staff = [rng.choice([0, 0, 1, 2, 3, 7, 8, 16, 40, 41]) for _ in schools]
    cases = [
        ("share", 1, [rng.randint(0, d) for d in staff], staff, lambda n, d: percent(n, d) if d else None),
        ("count", 0, staff, None, lambda n, d: n),
        ("count", 0, [rng.randint(0, 3) for _ in staff], staff, lambda n, d: n),
        ("mean", 1, [n * rng.randint(25, 60) for n in staff], staff, lambda n, d: _reference_mean(n, d, "0.1")),
        ("mean", 2, [Decimal(rng.randint(0, 300)) / 100 if n else Decimal(0) for n in staff], [min(n, 2) for n in staff],
         lambda n, d: _reference_mean(n, d, "0.01")),
    ]
    for kind, places, nums, dens, reference in cases:
        ind = SimpleNamespace(code="X", kind=kind, unit="u")
        cells = {}
        _build_cells(cells, ind, places, (nums, dens, None), [s.id for s in schools], groups)
        for i, school in enumerate(schools):
            cell, want = cells[("X", "school", school.id)], reference(nums[i], dens[i] if dens else 0)
            assert (cell.numerator, cell.denominator, cell.value, str(cell.value)) == \
                (nums[i], dens[i] if dens else None, want, str(want)), (kind, i)
        for level, key, members in groups:
            cell = cells[("X", level, key)]
            num = sum(nums[i] for i in members)
            den = sum(dens[i] for i in members) if dens else None
            want = reference(num, den or 0)
            values = sorted(v for v in (reference(nums[i], dens[i] if dens else 0) for i in members) if v is not None)
            spread = _reference_spread(values, "0.01" if places == 2 else "0.1") if values else None
            assert (cell.numerator, cell.denominator, cell.value, str(cell.value)) == (num, den, want, str(want))
            assert cell.spread == spread and [str(v) for v in cell.spread or ()] == [str(v) for v in spread or ()], \
                (kind, level, key)

    bands = (["до 3 лет", "3–5"], [[n // 3 for n in staff], [n - n // 3 for n in staff]])
    cells = {}
    _build_cells(cells, SimpleNamespace(code="X", kind="distribution", unit="чел."), 0, (staff, staff, bands),
                 [s.id for s in schools], groups)
    assert cells[("X", "school", 4)].bands == [("до 3 лет", staff[4] // 3), ("3–5", staff[4] - staff[4] // 3)]
    total = cells[("X", "municipality", 1)]
    assert total.value == total.denominator == sum(staff) == sum(n for _, n in total.bands) and total.spread is None
    assert cells[("X", "region", "empty")].bands == []
