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
