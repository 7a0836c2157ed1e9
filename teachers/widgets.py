"""Form widgets rendered in Python where Django's per-option templates are too slow for list filters."""
from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A plain single <select>: the same markup as forms.Select, built without a template per option
    (a filter form of seven selects with ~150 options took 10 ms to render)."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        selected = "" if value is None else str(value)
        options = []
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):  # option groups: fall back to Django's rendering
                return super().render(name, value, attrs, renderer)
            key = "" if option_value is None else str(option_value)
            options.append((key, " selected" if key == selected else "", label))
        return format_html('<select name="{}"{}>{}</select>', name, mark_safe(forms.utils.flatatt(attrs)),
                           format_html_join("", '<option value="{}"{}>{}</option>', options))


def speed_up_selects(form):
    """Swap every plain Select of `form` for FastSelect, keeping its attrs and choices. Model choices are read
    with one ordinary query each (Django iterates them through a server-side cursor on PostgreSQL: three round
    trips for a dozen rows)."""
    for field in form.fields.values():
        widget = field.widget
        if type(widget) is forms.Select:
            fast = FastSelect(attrs=widget.attrs)
            if isinstance(field, forms.ModelChoiceField):
                fast.choices = _model_choices(field)
            else:
                fast.choices = widget.choices
            field.widget = fast


class _model_choices(BaseChoiceIterator):
    """The choices of a ModelChoiceField, read once (lazily, when the select is rendered) in one query; a
    choice iterator, so Django keeps it as it is instead of normalising every option on each copy."""

    def __init__(self, field):
        self.field = field
        self._choices = None

    def __iter__(self):
        if self._choices is None:
            field = self.field
            choices = [("", field.empty_label)] if field.empty_label is not None else []
            choices += [(field.prepare_value(obj), field.label_from_instance(obj)) for obj in list(field.queryset)]
            self._choices = choices
        return iter(self._choices)


class PickerMixin:
    """A select that renders only its chosen option(s), read from its field's queryset (`choices` is the field's
    ModelChoiceIterator: set again whenever the field's queryset is); the browser (static/js/pickers.js, Tom
    Select) fetches the others from `url` as the user types. `depends` maps a query parameter of the endpoint to the name of
    another field of the same form whose value narrows the choices (the ИОМ's diagnostic result: the chosen
    teacher's)."""

    def __init__(self, *, url, user, depends=None, attrs=None):
        super().__init__(attrs=attrs)
        self.url, self.user, self.depends = url, user, dict(depends or {})

    def render(self, name, value, attrs=None, renderer=None):
        import json

        from .pickers import selected

        values = value if isinstance(value, (list, tuple)) else [value]
        attrs = self.build_attrs(self.attrs, attrs)
        # Sibling fields of a formset row carry the row's prefix too.
        prefix = name[: -len(self.field_name)] if getattr(self, "field_name", "") and name.endswith(
            self.field_name) else ""
        attrs.update({
            "data-picker-url": self.url,
            "data-picker-depends": json.dumps({param: prefix + field for param, field in self.depends.items()}),
            "data-placeholder": "Начните вводить…",
        })
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        chosen = selected(self.choices.queryset, values, self.user)  # the field's queryset, as it stands now
        options = [] if self.allow_multiple_selected else ['<option value=""></option>']
        for item in chosen:
            # data-detail: Tom Select reads an option's data-* attributes (the line under the name).
            options.append(format_html('<option value="{}" selected data-detail="{}">{}</option>', item["value"],
                                       item["detail"], item["text"]))
        return format_html('<select name="{}"{}>{}</select>', name, mark_safe(forms.utils.flatatt(attrs)),
                           mark_safe("".join(options)))


class PickerSelect(PickerMixin, forms.Select):
    pass


class PickerSelectMultiple(PickerMixin, forms.SelectMultiple):
    pass
