from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from teachers.forms import LoginForm


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
    from teachers.scoping import is_school_head, municipalities_for, role_of

    user, today = request.user, timezone.localdate()
    role = role_of(user)
    municipality = municipalities_for(user).order_by("name").first()
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
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
