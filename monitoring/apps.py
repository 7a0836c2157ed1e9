from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "Мониторинг"

    def ready(self):
        from teachers import navigation
        from teachers.demo import demo_purging, demo_seeded

        navigation.register("Календарь мониторинга", "monitoring-calendar", before="admin:index")
        navigation.register("Отчёты ОО", "school-report-list", before="admin:index")
        navigation.register("Цикл управления (2.2)", "cycle-table", before="admin:index")
        navigation.register("Рекомендации", "recommendation-list", before="admin:index")
        navigation.register("Аналитическая справка", "briefing", before="admin:index")
        navigation.GROUPS.setdefault("Мониторинг", ["monitoring-calendar", "school-report-list", "cycle-table",
                                                     "recommendation-list", "briefing"])
        demo_seeded.connect(_demo_calendar, dispatch_uid="monitoring-demo-calendar")
        demo_purging.connect(_purge_demo, dispatch_uid="monitoring-demo-purge")


def _demo_calendar(sender, scale, municipalities, **kwargs):
    from .calendar import create_year_with_defaults

    if scale == "district":
        for municipality in municipalities:
            for year in (2024, 2025, 2026, 2027):
                create_year_with_defaults(municipality, year)
        _demo_cycle_and_reports(municipalities)


def _demo_cycle_and_reports(municipalities):
    """Seed 000's cycle for the last full year (goals and methods for the current one too), and school reports."""
    from teachers.demo.surveys import demo_survey

    from .cycle import load_seed
    from .demo import demo_recommendations, demo_reports

    for municipality in municipalities:
        load_seed(municipality, 2025, full=True)
        load_seed(municipality, 2026, full=False)
        demo_survey(municipality)  # before the reports, so that their content counts its answers
        demo_reports(municipality)
        demo_recommendations(municipality)


def _purge_demo(sender, municipalities, schools, **kwargs):
    """Demo school reports and cycle records go with their district (reports protect their school otherwise)."""
    from .models import SchoolReport
    from .models.cycle import Analysis, Decision, EffectivenessReview, Goal, Measure, Method, Recommendation

    from teachers.models import RequestSurvey

    SchoolReport.objects.filter(school__in=schools).delete()
    RequestSurvey.objects.filter(municipality__in=municipalities).delete()  # protects its schools otherwise
    for model in (Measure, Decision, Recommendation, EffectivenessReview, Analysis, Goal, Method):
        model.objects.filter(municipality__in=municipalities).delete()
