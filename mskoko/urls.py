from django.apps import apps as django_apps
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import accounts, views

admin.site.site_header = "МСОКО · профразвитие — администрирование"
admin.site.site_title = "МСОКО · профразвитие"
admin.site.index_title = "Администрирование"
# django-axes declares no verbose name, so the admin index shows its label «AXES»; name the section in Russian.
django_apps.get_app_config("axes").verbose_name = "Блокировка входа"


def _admins_only(request):
    """The admin writes around the pages' scoping, so only the admin role may use it (a staff flag set by mistake
    on a methodologist's account opens nothing)."""
    from teachers.models import Role
    from teachers.scoping import role_of

    return request.user.is_active and request.user.is_staff and role_of(request.user) == Role.ADMIN


admin.site.has_permission = _admins_only

handler400 = "mskoko.views.bad_request"
handler500 = "mskoko.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("accounts/password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/password/reset/<uidb64>/<token>/", accounts.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/password/reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("admin/", admin.site.urls),
    path("teachers/import/", include("teachers.urls_import")),
    path("", include("teachers.urls")),
    path("indicators/", include("indicators.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("reports/", include("reports.urls")),
]
