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
    """The home page as a to-do list for the user's role: what to fill, send, review or answer, and the documents
    ready to download. A constant number of queries whatever the size of the district."""
    from django.utils import timezone

    from monitoring import worklist
    from monitoring.calendar import overview
    from reports.models import Job
    from teachers.models import Role
    from teachers.scoping import default_municipality, is_school_head, role_of

    user, today = request.user, timezone.localdate()
    role = role_of(user)
    municipality = default_municipality(user)
    head = is_school_head(user)
    context = {
        "overview": overview(municipality, today) if municipality else None,
        "my_school_id": user.school_id if head else None,
        "today": today,
        "documents": list(Job.objects.filter(owner=user, status=Job.Status.DONE, expires_at__gt=timezone.now())
                          .order_by("-finished_at", "-pk")[:5]),
    }
    if head:
        context["head_work"] = worklist.for_head(user, today)
    elif role in (Role.METHODOLOGIST, Role.ADMIN):
        context["district_work"] = worklist.for_district(user, today, prepare_next_year=role == Role.ADMIN)
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
