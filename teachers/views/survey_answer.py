"""The public answer page of the teachers' requests questionnaire: `/a/<token>/`, no account.

Exempt from the login requirement explicitly and only here (`login_not_required`); CSRF stays on (the form
carries the token, the cookie is set on the GET). The page names the school and the survey only — no name of the
teacher: a link handed to the wrong person or forwarded reveals nobody, and the printed list the head hands out
already puts the name beside each link. Every answer is `Cache-Control: no-store`; the site's `Referrer-Policy:
same-origin` keeps the link from other sites (`no-referrer` would make browsers send `Origin: null`, which the
CSRF check refuses). The request and CSRF loggers write `/a/…/` instead of the token (mskoko/logfilters.py).
"""
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.cache import patch_cache_control

from mskoko.client_ip import client_address
from mskoko.throttle import exceeded

from .. import surveys
from ..models import DeficitArea, DevelopmentRequest, SurveyInvitation

TOKEN_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

# (limit, window seconds). A school's staff often shares one address (NAT), so the address limit is generous;
# unknown tokens (someone trying links) are limited much harder.
DEFAULT_THROTTLE = {"ip": (300, 600), "token": (30, 600), "miss": (20, 600)}


def _limits():
    return {**DEFAULT_THROTTLE, **getattr(settings, "SURVEY_THROTTLE", {})}


class RequestRowForm(forms.Form):
    topic = forms.CharField(label="Направление (тема) повышения квалификации", max_length=surveys.TOPIC_MAX_LENGTH,
                            required=False,
                            widget=forms.TextInput(attrs={"list": "typical-topics", "class": "form-control",
                                                          "autocomplete": "off"}))
    format = forms.ChoiceField(label="Желаемая форма", choices=DevelopmentRequest.Format.choices,
                               initial=DevelopmentRequest.Format.IN_PERSON,
                               widget=forms.Select(attrs={"class": "form-select"}))
    deficit_area = forms.ModelChoiceField(label="Область профессиональных дефицитов", required=False,
                                          queryset=DeficitArea.objects.all(), empty_label="— не знаю / другое —",
                                          widget=forms.Select(attrs={"class": "form-select"}))
    comment = forms.CharField(label="Пояснение (по желанию)", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))

    def clean(self):
        data = super().clean()
        data["topic"] = surveys.normalise_topic(data.get("topic"))
        if not data["topic"] and (data.get("deficit_area") or (data.get("comment") or "").strip()):
            self.add_error("topic", "Укажите направление: без него запрос не будет учтён.")
        return data


def _formset(invitation, data=None):
    """Up to five request rows: the teacher's current answer (requests still «получен») and empty rows to add."""
    current = list(invitation.requests.filter(status=DevelopmentRequest.Status.NEW).order_by("pk"))
    initial = [{"topic": r.topic, "format": r.format, "deficit_area": r.deficit_area_id, "comment": r.comment}
               for r in current]
    limit = surveys.MAX_REQUESTS_PER_ANSWER
    extra = 3 if not initial else min(1, limit - len(initial))
    cls = forms.formset_factory(RequestRowForm, extra=extra, max_num=limit, validate_max=True, absolute_max=limit)
    return cls(data, initial=initial, prefix="r")


def _page(request, template, context, status=200):
    return render(request, f"teachers/survey/{template}", context, status=status)


def _answer(request, token):
    limits = _limits()
    address = client_address(request)
    if exceeded("survey-ip", address, *limits["ip"]):
        return _page(request, "throttled.html", {}, status=429)
    valid_shape = 20 <= len(token) <= 64 and set(token) <= TOKEN_CHARS
    invitation = None
    if valid_shape:
        invitation = (SurveyInvitation.objects.select_related("survey", "school")
                      .filter(token=token).first())
    if invitation is None:
        if exceeded("survey-miss", address, *limits["miss"]):
            return _page(request, "throttled.html", {}, status=429)
        return _page(request, "not_found.html", {}, status=404)
    if exceeded("survey-token", token, *limits["token"]):
        return _page(request, "throttled.html", {}, status=429)
    survey = invitation.survey
    today = timezone.localdate()
    context = {"survey": survey, "school": invitation.school, "invitation": invitation}
    state = survey.state(today)
    if state == "closed":
        return _page(request, "closed.html", context, status=410)
    if state == "soon":
        return _page(request, "soon.html", context)
    if request.method == "POST":
        formset = _formset(invitation, request.POST)
        if formset.is_valid():
            rows = [f.cleaned_data for f in formset.forms if f.cleaned_data and f.cleaned_data.get("topic")]
            try:
                surveys.save_answer(invitation, rows, today)
            except ValidationError as exc:
                formset._non_form_errors = formset.error_class(exc.messages)
            else:
                return _page(request, "thanks.html", {**context, "count": len(rows)})
    elif request.method in ("GET", "HEAD"):
        formset = _formset(invitation)
    else:
        return HttpResponseNotAllowed(["GET", "POST"])
    kept = invitation.requests.exclude(status=DevelopmentRequest.Status.NEW).select_related("deficit_area")
    return _page(request, "answer.html", {**context, "formset": formset, "kept": kept,
                                          "topics": surveys.typical_topics()})


@login_not_required
def survey_answer(request, token):
    response = _answer(request, token)
    patch_cache_control(response, no_store=True, private=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


urlpatterns = [path("a/<str:token>/", survey_answer, name="survey-answer")]
