"""Filters of the document templates."""
from django import template

register = template.Library()


@register.filter
def css_string(value):
    """Text for a CSS string (`content: "…"` in @page): backslash and quote escaped, line breaks as spaces.

    Not `escapejs`: CSS does not read \\u002D as a hyphen, so «01-07/215» came out as «01u002D07/215»."""
    text = " ".join(str(value or "").split())
    return text.replace("\\", "\\\\").replace('"', '\\"')
