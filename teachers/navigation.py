"""The main menu. Which roles see an item is read from the view it links to (`scoping.view_roles`: the roles
the view declares with `for_roles` / `RolesMixin`), so nobody sees a link that would refuse them and the menu
cannot drift from the access rules."""
from functools import lru_cache

from django.urls import reverse

from .scoping import role_of, view_roles

# (title, url name). Apps append their own sections in their AppConfig.ready().
MENU = [
    ("Главная", "home"),
    ("Администрирование", "admin:index"),
]


def register(title, url_name, *, before=None):
    item = (title, url_name)
    if item in MENU:
        return
    if before:
        for i, (_, name) in enumerate(MENU):
            if name == before:
                MENU.insert(i, item)
                return
    MENU.append(item)


@lru_cache(maxsize=None)
def _item(url_name):
    """(url, roles) of a menu entry; URL conf and view declarations do not change while the process runs."""
    return reverse(url_name), view_roles(url_name)


# Menu sections: items whose URL name is listed here are shown in that dropdown.
GROUPS = {
    "Кадры": ["school-list", "teacher-list", "vacancy-list", "reserve-list"],
    "Развитие": ["campaign-list", "result-list", "route-list", "activity-list", "event-list", "participation-list",
                 "mentorship-list", "mentorship-model-list", "association-list", "membership-list", "request-list", "survey-list",
                 "request-summary"],
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
    for title, url_name in MENU:
        url, roles = _item(url_name)
        if role in roles:
            items.append({"title": title, "url": url, "url_name": url_name})
    return items
