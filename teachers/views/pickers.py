"""The endpoint behind the forms' pickers: `/pick/<form>/<field>/?q=…&page=…` answers one page of the choices
the form itself would accept for that field, as JSON.

The choices are the form's own field queryset — built by the form for this user (`crud.ScopedFormMixin`:
owner keys narrowed to `scoping.writable`, the others to `scoping.scoped`) — so the endpoint and the form cannot
drift apart. A field that depends on another (`picker_depends`: the ИОМ's diagnostic result on its teacher) is
narrowed further by that field's value. Only users who may open the form get an answer (others 403); a bad
parameter answers 400 with a Russian message.
"""
from django.http import Http404, JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET

from .. import pickers, scoping

# form key (the crud name) -> (form class, URL name of the page whose roles may use it)
FORMS = {}

MAX_PAGE = 500


def register(key, form_class, page_url_name):
    FORMS[key] = (form_class, page_url_name)


def _bad(message):
    return JsonResponse({"error": message}, status=400, json_dumps_params={"ensure_ascii": False})


def may_pick(user, form_class, page):
    """Whether the endpoint answers `user` for this form: they may open its page and, for a model form, edit its
    model; another form says who it answers (`form_class.may_pick(user)`: the import upload forms)."""
    own_rule = getattr(form_class, "may_pick", None)
    allowed = own_rule(user) if own_rule else scoping.can_edit(user, model=form_class._meta.model)
    return scoping.may_open(user, page) and allowed


@require_GET
def picker_view(request, form, field):
    user = request.user
    try:
        form_class, page = FORMS[form]
    except KeyError:
        raise Http404("Нет такой формы.") from None
    if not may_pick(user, form_class, page):
        return JsonResponse({"error": "Недостаточно прав для этой формы."}, status=403,
                            json_dumps_params={"ensure_ascii": False})
    instance = form_class(user=user)
    bound = instance.fields.get(field)
    if bound is None or not pickers.wants_picker(bound) or bound.disabled:
        raise Http404("Нет такого поля.")
    q = request.GET.get("q", "").strip()
    if len(q) > pickers.MAX_QUERY:
        return _bad(f"Слишком длинный запрос: не больше {pickers.MAX_QUERY} символов.")
    page_text = request.GET.get("page", "1")
    if not page_text.isdigit() or not 1 <= int(page_text) <= MAX_PAGE:
        return _bad(f"Номер страницы — целое число от 1 до {MAX_PAGE}.")
    queryset = bound.queryset
    for source, lookup in instance.picker_depends.get(field, {}).items():
        value = request.GET.get(source, "").strip()
        if not value:
            label = instance.fields[source].label
            return JsonResponse({"results": [], "next": None, "hint": f"Сначала выберите: {str(label).lower()}."},
                                json_dumps_params={"ensure_ascii": False})
        if not value.isdigit():
            return _bad(f"«{source}»: ожидается номер записи.")
        queryset = queryset.filter(**{lookup: int(value)})
    page = int(page_text)
    results, more = pickers.options(queryset, user, q=q, page=page)
    next_url = None
    if more:
        params = request.GET.copy()
        params["page"] = str(page + 1)
        next_url = f"{request.path}?{params.urlencode()}"
    return JsonResponse({"results": results, "next": next_url}, json_dumps_params={"ensure_ascii": False})


urlpatterns = [path("pick/<slug:form>/<slug:field>/", picker_view, name="picker")]
