import sys

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader

from teachers.forms import LoginForm

from . import health
from .params import BadParameter


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True


def home(request):
    from django.utils import timezone

    from monitoring.calendar import overview
    from teachers.scoping import is_school_head, municipalities_for

    municipality = municipalities_for(request.user).order_by("name").first()
    context = {"overview": overview(municipality, timezone.localdate()) if municipality else None,
               "my_school_id": request.user.school_id if is_school_head(request.user) else None}
    return render(request, "home.html", context)


@login_not_required
def healthz(request):
    """The database and Redis, each "ok" or what is wrong; 503 when one is down (the container is unhealthy).
    Answered by mskoko.middleware.HealthzMiddleware before host checks and the HTTPS redirect, so the
    container's own probe (http://127.0.0.1:8000/healthz/) reaches it."""
    body, healthy = health.report()
    return JsonResponse(body, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False})


def bad_request(request, exception):
    """400: the parameter's own Russian message (mskoko.params.BadParameter), JSON for the API."""
    message = str(exception) if isinstance(exception, BadParameter) else ""
    if request.path.startswith("/indicators/api/"):
        return JsonResponse({"error": message or "Неверный запрос."}, status=400,
                            json_dumps_params={"ensure_ascii": False})
    return HttpResponse(loader.render_to_string("400.html", {"message": message}, request), status=400)


def server_error(request):
    """500, or 503 with a plain Russian page when the database is what failed (it is down or misconfigured).
    Rendered without the database: no user, no menu."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DatabaseError) and not health.check_database()[0]:
        return HttpResponse(loader.render_to_string("503.html"), status=503, headers={"Retry-After": "60"})
    return HttpResponse(loader.render_to_string("500.html"), status=500)
