from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from .models import Participation


class LoginForm(AuthenticationForm):
    username = forms.CharField(label="Имя пользователя", widget=forms.TextInput(attrs={"autofocus": True, "class": "form-control"}))
    password = forms.CharField(
        label="Пароль", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": "form-control"})
    )
    error_messages = {
        "invalid_login": "Неверное имя пользователя или пароль.",
        "inactive": "Учётная запись отключена.",
    }


# -- bulk entry (teachers/views/bulk.py) -------------------------------------------------------------------------
# The pages fetch the rows a user may write once (scoping.writable) and hand them to the forms as choices, so
# validating a POST costs no query per row and an id outside those rows is an invalid choice.

def _ids(records, label=str):
    return [(record.pk, label(record)) for record in records]


class ResultRowForm(forms.Form):
    """One teacher's result in a campaign: took part or not, the score and the deficit areas found."""

    teacher = forms.TypedChoiceField(coerce=int, widget=forms.HiddenInput)
    took_part = forms.BooleanField(required=False)
    score = forms.DecimalField(required=False, localize=True, max_digits=6, decimal_places=2,
                               error_messages={"invalid": "Балл — не число."})
    areas = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, campaign, teachers, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["teacher"].choices = _ids(teachers, lambda t: t.full_name)
        self.fields["areas"].choices = _ids(areas)

    def clean(self):
        data = super().clean()
        score, took_part = data.get("score"), data.get("took_part")
        limit = self.campaign.max_score
        if score is not None and (score < 0 or (limit is not None and score > limit)):
            self.add_error("score", f"Балл должен быть от 0 до {limit or '…'}.")
        if not took_part and (score is not None or data.get("areas")):
            self.add_error(None, "Отметьте участие или очистите балл и дефициты.")
        return data

    @property
    def chosen_areas(self):
        """The areas ticked in this row (as posted, or as stored)."""
        value = self["areas"].value() or []
        return {int(v) for v in value if str(v).isdigit()}


class BaseResultFormSet(forms.BaseFormSet):
    def clean(self):
        if any(outside_choices(form, "teacher") for form in self.forms):
            raise forms.ValidationError("Среди строк есть педагог, который больше не работает в ОО или вне ваших "
                                        "прав на изменение: обновите страницу.")
        seen = set()
        for form in self.forms:
            teacher = form.cleaned_data.get("teacher")
            if teacher in seen:
                raise forms.ValidationError("Педагог указан в двух строках.")
            seen.add(teacher)


ResultFormSet = forms.formset_factory(ResultRowForm, formset=BaseResultFormSet, extra=0, max_num=2000,
                                      absolute_max=2000, validate_max=True)


class ParticipantsForm(forms.Form):
    """Many participants of one event, one role for all."""

    teachers = forms.TypedMultipleChoiceField(coerce=int, required=False)
    role = forms.ChoiceField(error_messages={"required": "Выберите роль участников.",
                                             "invalid_choice": "Выберите роль участников."})

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teachers"].choices = _ids(people, lambda t: t.full_name)
        self.fields["role"].choices = Participation.Role.choices

    def clean_teachers(self):
        """Each person once, in the order posted (a tampered or doubled id must not add a person twice)."""
        return list(dict.fromkeys(self.cleaned_data["teachers"]))


class ActivitiesDoneForm(forms.Form):
    """Many planned ИОМ activities marked done on one date."""

    activities = forms.TypedMultipleChoiceField(
        coerce=int, error_messages={"required": "Отметьте хотя бы одно мероприятие."})
    done_on = forms.DateField(error_messages={"required": "Укажите дату выполнения в формате дд.мм.гггг.",
                                              "invalid": "Укажите дату выполнения в формате дд.мм.гггг."})

    def __init__(self, *args, planned, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activities"].choices = _ids(planned)

    def clean_done_on(self):
        value = self.cleaned_data["done_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("Дата выполнения не может быть в будущем.")
        return value


def outside_choices(form, name):
    """Did the POST name a record outside the choices the page offered (a tampered or stale id)?"""
    return any(error.code == "invalid_choice" for error in form.errors.as_data().get(name, []))
