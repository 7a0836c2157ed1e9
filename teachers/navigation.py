"""The main menu: each item names the roles that may use it, so nobody sees a link that would refuse them."""
from django.urls import NoReverseMatch, reverse

from .models import Role

ALL = (Role.ADMIN, Role.METHODOLOGIST, Role.SCHOOL_HEAD, Role.VIEWER)
STAFF = (Role.ADMIN, Role.METHODOLOGIST)

# (title, url name, roles). Apps append their own sections in their AppConfig.ready().
MENU = [
    ("Главная", "home", ALL),
    ("Администрирование", "admin:index", (Role.ADMIN,)),
]


def register(title, url_name, roles, *, before=None):
    item = (title, url_name, tuple(roles))
    if item in MENU:
        return
    if before:
        for i, (_, name, _) in enumerate(MENU):
            if name == before:
                MENU.insert(i, item)
                return
    MENU.append(item)


def menu_for(user):
    if not user.is_authenticated:
        return []
    role = Role.ADMIN if user.is_superuser else user.role
    items = []
    for title, url_name, roles in MENU:
        if role not in roles:
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            raise RuntimeError(f"Menu item {title!r} names an unknown URL {url_name!r}") from None
        items.append({"title": title, "url": url, "url_name": url_name})
    return items
