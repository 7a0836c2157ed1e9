"""Forms of the monitoring pages that are not declared through `teachers.views.records.Spec`."""
from django import forms

from teachers.crud import ScopedModelForm

from .models import Briefing

TEXT_LIMIT = 20000  # characters of one part of the справка: a few pages, far more than a conclusion needs


class BriefingForm(ScopedModelForm):
    """The справка's text: the introduction, a conclusion per direction of the numbers shown, the summary and
    the signatory. The municipality and year are the page's choice, not the form's; a closed year or a
    municipality outside the user's rights is refused by validation (`ClosedYearGuard`, `scoping`)."""

    intro = forms.CharField(label="Вводная часть", required=False, max_length=TEXT_LIMIT,
                            widget=forms.Textarea(attrs={"rows": 4}))
    summary = forms.CharField(label="Общие выводы и предложения", required=False, max_length=TEXT_LIMIT,
                              widget=forms.Textarea(attrs={"rows": 4}))

    class Meta:
        model = Briefing
        fields = ["intro", "summary", "signatory"]
        widgets = {"signatory": forms.TextInput(attrs={"placeholder": "Директор МБУ ЦРО … И. О. Фамилия"})}

    def __init__(self, *args, directions, **kwargs):
        super().__init__(*args, **kwargs)
        self.directions = directions
        stored = self.instance.conclusions or {}
        for d in directions:
            code = d.direction.code
            self.fields[self.conclusion_field(code)] = forms.CharField(
                label=f"Выводы: {d.direction.name}", required=False, max_length=TEXT_LIMIT,
                initial=stored.get(code, d.conclusion), widget=forms.Textarea(attrs={"rows": 5, "class": "form-control",
                                                                                     "id": f"c-{code}"}))

    @staticmethod
    def conclusion_field(code):
        return f"conclusion_{code}"

    def conclusion_rows(self):
        """(direction's facts, its conclusion field) in the page's order."""
        return [(d, self[self.conclusion_field(d.direction.code)]) for d in self.directions]

    def clean(self):
        data = super().clean()
        self.instance.conclusions = {d.direction.code: (data.get(self.conclusion_field(d.direction.code)) or "").strip()
                                     for d in self.directions}
        return data
