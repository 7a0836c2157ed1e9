"""Natural order of names with numbers: «СОШ № 4» before «СОШ № 10» (plain string order puts 10 first).

`natural_key(text)` is the one sort key; `natural_sorted` sorts objects by an attribute with it, and
`natural_order` orders a queryset the same way in the database (for the schools of a district or region: the
rows are few, so their order is computed from one light query and handed to the database as a CASE).
"""
import re

from django.db.models import Case, IntegerField, Value, When

_PARTS = re.compile(r"(\d+)")


def natural_key(text):
    """Sort key of `text`: letters case-insensitively («ё» as «е»), runs of digits as numbers."""
    text = str(text or "").replace("ё", "е").replace("Ё", "Е").casefold()
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.strip())
                 for part in _PARTS.split(text) if part)


def natural_sorted(items, attr="short_name"):
    """`items` sorted by `natural_key` of their `attr` (a name or a callable)."""
    get = attr if callable(attr) else (lambda obj: getattr(obj, attr))
    return sorted(items, key=lambda obj: natural_key(get(obj)))


def natural_order(queryset, field="short_name", descending=False):
    """`queryset` ordered by `natural_key` of `field` (one extra query reading the primary keys and names)."""
    rows = sorted(queryset.order_by().values_list("pk", field), key=lambda row: natural_key(row[1]),
                  reverse=descending)
    if not rows:
        return queryset
    order = Case(*[When(pk=pk, then=Value(i)) for i, (pk, _) in enumerate(rows)], output_field=IntegerField())
    return queryset.order_by(order, "pk")


def plural(n, one, few, many):
    """The Russian form of a word for the number `n`: 1 ошибка, 2 ошибки, 5 ошибок, 21 ошибка, 11 ошибок."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many
