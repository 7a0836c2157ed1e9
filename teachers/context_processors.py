from .navigation import grouped_menu, menu_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    menu = menu_for(user)
    return {"menu": menu, "menu_tree": grouped_menu(menu)}
