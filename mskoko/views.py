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
    from django.utils import timezone

    from monitoring.calendar import overview
    from teachers.scoping import is_school_head, municipalities_for

    municipality = municipalities_for(request.user).order_by("name").first()
    context = {"overview": overview(municipality, timezone.localdate()) if municipality else None,
               "my_school_id": request.user.school_id if is_school_head(request.user) else None}
    return render(request, "home.html", context)


@login_not_required
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
