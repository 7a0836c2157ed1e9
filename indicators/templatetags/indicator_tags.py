from decimal import Decimal

from django import template

from indicators.engine import format_number

register = template.Library()


@register.filter
def change(value, unit="%"):
    """Change against last year: '+2,3 п. п.' for shares, '−1,0' for means; '' when unknown."""
    if value is None:
        return ""
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    text = f"{abs(Decimal(value)):.1f}".replace(".", ",")
    return f"{sign}{text}\u00a0п.\u00a0п." if unit == "%" else f"{sign}{text}"


@register.filter
def num(value, unit=""):
    return format_number(value, unit)


@register.filter
def cluster_key(entity):
    mid, cid = entity.key
    return f"{mid}-{cid}"


@register.filter
def plural(number, forms):
    """`{{ n }} {{ n|plural:"школа,школы,школ" }}`: the form agreeing with the number (teachers.naming.plural)."""
    from teachers.naming import plural as agree

    one, few, many = forms.split(",")
    try:
        return agree(number, one, few, many)
    except (TypeError, ValueError):
        return many
