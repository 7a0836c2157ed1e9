"""Accounts: password change and reset (Django's views, Russian templates in templates/registration/), the
administrator's forced reset, the idle timeout of sessions, and the client address behind a trusted proxy."""
import ipaddress
import logging
import secrets
import time

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

logger = logging.getLogger("mskoko.accounts")


class _Bootstrap:
    """Bootstrap classes on every input (the forms are Django's own)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class ChangeForm(_Bootstrap, PasswordChangeForm):
    pass


class ResetForm(_Bootstrap, PasswordResetForm):
    pass


class NewPasswordForm(_Bootstrap, SetPasswordForm):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ChangeForm


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    subject_template_name = "registration/password_reset_subject.txt"
    email_template_name = "registration/password_reset_email.txt"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm


# -- the administrator's forced reset ------------------------------------------------------------------------------
def send_reset_link(request, user):
    """The same letter as «Забыли пароль?», sent to `user` (who must have an e-mail)."""
    form = ResetForm()
    context = {
        "email": user.email, "domain": request.get_host(), "site_name": "МСОКО · профразвитие",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)), "user": user,
        "token": default_token_generator.make_token(user), "protocol": "https" if request.is_secure() else "http",
    }
    form.send_mail(PasswordResetView.subject_template_name, PasswordResetView.email_template_name, context,
                   None, user.email)


@admin.action(description="Сбросить пароль и отправить ссылку для нового")
def force_password_reset(modeladmin, request, queryset):
    """The old password stops working at once (every session of the user ends with it); users with an e-mail
    get the reset link, the others are listed for the administrator to set a password by hand."""
    sent, without_email = [], []
    for user in queryset:
        user.set_password(secrets.token_urlsafe(32))  # unknown to anybody: only the link lets them in again
        user.save(update_fields=["password"])
        if user.email:
            send_reset_link(request, user)
            sent.append(user.username)
        else:
            without_email.append(user.username)
        logger.info("Password of %s reset by %s", user.username, request.user.username)
    if sent:
        modeladmin.message_user(request, "Пароль сброшен, ссылка для нового отправлена: " + ", ".join(sent) + ".",
                                messages.SUCCESS)
    if without_email:
        modeladmin.message_user(request, "Пароль сброшен, но у пользователей " + ", ".join(without_email) +
                                " нет адреса электронной почты: задайте им пароль в карточке («Пароль» → "
                                "«форма смены пароля»).", messages.WARNING)


# -- idle timeout --------------------------------------------------------------------------------------------------
IDLE_KEY = "_last_activity"
STARTED_KEY = "_session_started"
TOUCH_EVERY_SECONDS = 60  # the session row is written at most once a minute for the activity stamp


class IdleTimeoutMiddleware:
    """Ends a session after SESSION_IDLE_MINUTES without a request, and after SESSION_MAX_HOURS in any case;
    the login page then says why. Placed after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            last = session.get(IDLE_KEY)
            started = session.setdefault(STARTED_KEY, now)
            idle = settings.SESSION_IDLE_MINUTES * 60
            if last is not None and now - last > idle or now - started > settings.SESSION_MAX_HOURS * 3600:
                reason = (f"Сеанс завершён: в системе не было действий больше {settings.SESSION_IDLE_MINUTES} мин."
                          if last is not None and now - last > idle else
                          f"Сеанс завершён: он длился больше {settings.SESSION_MAX_HOURS} ч.")
                logout(request)
                messages.info(request, reason + " Войдите снова.")
                if request.method == "GET" and not request.path.startswith(("/indicators/api/", "/reports/jobs/")):
                    return redirect(f"{reverse('login')}?next={request.get_full_path()}")
                return redirect("login")
            if last is None or now - last > TOUCH_EVERY_SECONDS:
                session[IDLE_KEY] = now
        return self.get_response(request)


@receiver(user_logged_in)
def _stamp_session(sender, request, user, **kwargs):
    """The idle and maximum clocks start at login, written with the login's own session save."""
    if hasattr(request, "session"):
        now = time.time()
        request.session[IDLE_KEY] = request.session[STARTED_KEY] = now


# -- the client's address ------------------------------------------------------------------------------------------
def client_ip(request):
    """The address login throttling (django-axes) keys on. Without a trusted proxy it is REMOTE_ADDR. Behind
    TRUSTED_PROXY_COUNT proxies, each of which appends the address it saw to X-Forwarded-For, it is the entry
    the outermost trusted proxy appended (counted from the right): anything further left came from the client
    and can be forged. A header shorter than that or not an address falls back to REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(chain) < count:
        return remote
    candidate = chain[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


