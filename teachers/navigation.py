"""The main menu: each item names the roles that may use it, so nobody sees a link that would refuse them."""
from django.urls import NoReverseMatch, reverse

from .models import Role
from .scoping import role_of

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


# Menu sections: items whose URL name is listed here are shown in that dropdown.
GROUPS = {
    "Кадры": ["school-list", "teacher-list", "vacancy-list", "reserve-list", "staff-import"],
    "Развитие": ["campaign-list", "route-list", "event-list", "mentorship-list", "association-list", "request-list"],
}


def grouped_menu(items):
    """Top-level entries: single links, or {"title", "children"} dropdowns, in the order first seen."""
    where = {name: group for group, names in GROUPS.items() for name in names}
    out, groups = [], {}
    for item in items:
        group = where.get(item["url_name"])
        if group is None:
            out.append(item)
            continue
        if group not in groups:
            groups[group] = {"title": group, "children": []}
            out.append(groups[group])
        groups[group]["children"].append(item)
    for entry in out:
        if "children" in entry:
            order = GROUPS[entry["title"]]
            entry["children"].sort(key=lambda i: order.index(i["url_name"]))
    return out


def menu_for(user):
    if not user.is_authenticated:
        return []
    role = role_of(user)
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
