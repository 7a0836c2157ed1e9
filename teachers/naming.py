"""Small helpers for how names and numbers read in Russian: natural order of names, plural agreement."""
import re

_PARTS = re.compile(r"(\d+)")


def natural_key(text):
    """Sort key that orders the numbers inside a name by value: «СОШ № 4» before «СОШ № 10».

    Case-insensitive («ё» sorts as «е»); digits compare as numbers, the rest as text."""
    parts = _PARTS.split((text or "").casefold().replace("ё", "е"))
    return tuple((0, int(part), "") if i % 2 else (1, 0, part) for i, part in enumerate(parts) if part != "")


def plural(n, one, few, many):
    """The form of a Russian word agreeing with the number `n`: 1 школа, 2 школы, 5 школ, 21 школа, 11 школ."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many
