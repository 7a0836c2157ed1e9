"""The domain's date arithmetic, one rule for everyone: the indicator engine (in SQL), pages, the import, the demo.

Full years (age, pedagogical and total experience) are counted as Russian law counts a period of years (ГК РФ,
ст. 192): it ends on the same day and month of the last year, and when that month has no such day — someone born
on 29 February in a non-leap year — on the last day of the month, 28 February. So a person born on 29.02.2000 is
25 on 28.02.2025, everywhere.

`years_before(on, n)` is the inverse used by the SQL filters: `full_years(start, on) >= n` exactly when
`start <= years_before(on, n)`; `birthday_cutoff(on)` is the (month, day) a birthday must not be after for the
year to be full on `on`, for SQL that computes ages. A qualification category is valid for five years
(`add_years` gives its last day).
"""
import calendar
from datetime import date, timedelta

YOUNG_SPECIALIST_YEARS = 3  # молодой специалист: less than three full years of pedagogical experience
CATEGORY_VALID_YEARS = 5  # a qualification category is assigned for five years


def _is_last_day_of_february(day):
    return day.month == 2 and day.day == 28 and not calendar.isleap(day.year)


def birthday_cutoff(on):
    """(month, day): a year since a date with this or an earlier month and day is complete on `on`.

    On 28 February of a non-leap year, 29 February counts as reached."""
    return (2, 29) if _is_last_day_of_february(on) else (on.month, on.day)


def full_years(start, on):
    """Full years from `start` to `on` (age, experience); None when `start` is unknown or later than `on`."""
    if start is None or on is None or start > on:
        return None
    return on.year - start.year - ((start.month, start.day) > birthday_cutoff(on))


def add_years(day, years):
    """The same day `years` later (or earlier); 29 February becomes 28 February in a non-leap year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def years_before(on, years):
    """The latest start date with at least `years` full years on `on` (see the module's docstring)."""
    threshold = add_years(on, -years)
    if _is_last_day_of_february(on) and calendar.isleap(threshold.year):
        threshold = date(threshold.year, 2, 29)
    return threshold


def category_valid_until(assigned_on):
    """The last day a category assigned on `assigned_on` is in force (five years, the day before the anniversary)."""
    return add_years(assigned_on, CATEGORY_VALID_YEARS) - timedelta(days=1)


def is_young_specialist(ped_experience_start, on):
    years = full_years(ped_experience_start, on)
    return years is not None and years < YOUNG_SPECIALIST_YEARS
