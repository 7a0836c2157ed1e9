import django_filters
import django_tables2 as tables
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .. import crud, scoping
from . import pickers
from ..models import Appointment, Cluster, School, Vacancy
from ..naming import natural_order
from ..scoping import municipalities_for


class SchoolTable(tables.Table):
    short_name = tables.LinkColumn("school-detail", args=[tables.A("pk")], verbose_name="ОО")
    municipality = tables.Column(verbose_name="Муниципалитет")
    cluster = tables.Column(verbose_name="Кластер", accessor="cluster__short_name", order_by="cluster__order")
    head_name = tables.Column(verbose_name="Руководитель")
    staff_count = tables.Column(verbose_name="Педработников", attrs={"td": {"class": "num"}}, orderable=True)
    open_vacancies = tables.Column(verbose_name="Открытых вакансий", attrs={"td": {"class": "num"}}, orderable=True)

    class Meta:
        model = School
        fields = ("short_name", "full_name", "municipality", "cluster", "head_name", "staff_count", "open_vacancies")
        order_by = ("short_name",)

    def order_short_name(self, queryset, is_descending):
        return natural_order(queryset, "short_name", descending=is_descending), True  # «№ 4» before «№ 10»


class SchoolFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Поиск", method="search")
    cluster = django_filters.ModelChoiceFilter(label="Кластер", queryset=Cluster.objects.all())
    municipality = django_filters.ModelChoiceFilter(label="Муниципалитет", queryset=None)

    class Meta:
        model = School
        fields = ["q", "cluster", "municipality"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["municipality"].queryset = municipalities_for(user)
        for f in self.form.fields.values():
            f.widget.attrs.setdefault("class", "form-select form-select-sm" if hasattr(f, "queryset") else "form-control form-control-sm")

    def search(self, queryset, name, value):
        return queryset.filter(Q(short_name__icontains=value) | Q(full_name__icontains=value) | Q(head_name__icontains=value))


def annotate_school_counts(queryset, on=None):
    """Staff on `on` (distinct people, main staff) and open vacancies — two correlated subqueries, not N+1."""
    on = on or timezone.localdate()
    staff = (
        Appointment.objects.active_on(on).main().filter(school=OuterRef("pk"))
        .order_by().values("school").annotate(n=Count("teacher", distinct=True)).values("n")
    )
    vacancies = (
        Vacancy.objects.open_on(on).filter(school=OuterRef("pk"))
        .order_by().values("school").annotate(n=Count("pk")).values("n")
    )
    return queryset.annotate(staff_count=Coalesce(Subquery(staff), 0), open_vacancies=Coalesce(Subquery(vacancies), 0))


class SchoolForm(crud.ScopedModelForm):
    picker_key = "school"

    class Meta:
        model = School
        fields = ["short_name", "full_name", "municipality", "cluster", "head_name", "address", "email", "is_active"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["municipality"].queryset = municipalities_for(user)


class SchoolViewMixin:
    model = School
    crud_name = "school"
    select_related = ("municipality", "cluster")


class SchoolListView(SchoolViewMixin, crud.CrudListView):
    table_class = SchoolTable
    filterset_class = SchoolFilter

    def get_queryset(self):
        return annotate_school_counts(super().get_queryset())

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["user"] = self.request.user
        return kwargs


class SchoolDetailView(SchoolViewMixin, crud.CrudDetailView):
    detail_fields = ["short_name", "full_name", "municipality", "cluster", "head_name", "address", "email", "is_active"]


class AdminOnlyMixin:
    """Schools are reference data of the district: only admins and methodologists create or delete them.

    The roles are declared for the menu and the «Добавить» button (`scoping.view_roles`) and checked by the crud
    views' `check_edit_permission` — after the object is found, so another district's school stays a 404."""

    allowed_roles = scoping.STAFF_ROLES
    role_denied_message = "Изменять перечень ОО может администратор или методист."

    def check_edit_permission(self, obj=None):
        scoping.check_role(self.request.user, self.allowed_roles, self.role_denied_message)


class SchoolCreateView(SchoolViewMixin, AdminOnlyMixin, crud.CrudCreateView):
    form_class = SchoolForm


class SchoolUpdateView(SchoolViewMixin, AdminOnlyMixin, crud.CrudUpdateView):
    form_class = SchoolForm


class SchoolDeleteView(SchoolViewMixin, AdminOnlyMixin, crud.CrudDeleteView):
    pass


pickers.register("school", SchoolForm, "school-create")

urlpatterns = crud.crud_urls(
    "schools", "school", list_view=SchoolListView, detail_view=SchoolDetailView,
    create_view=SchoolCreateView, update_view=SchoolUpdateView, delete_view=SchoolDeleteView,
)
