"""Russian wording in templates: `{{ n|plural:"ошибка,ошибки,ошибок" }}` → «2 ошибки»."""
from django import template

from ..naming import plural as plural_form

register = template.Library()


@register.filter
def plural(n, forms):
    one, few, many = forms.split(",")
    return f"{n} {plural_form(n, one, few, many)}"
