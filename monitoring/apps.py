from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "Мониторинг"

    def ready(self):
        from teachers import navigation
        from teachers.demo import demo_seeded
        from teachers.models import Role

        navigation.register("Календарь мониторинга", "monitoring-calendar",
                            (Role.ADMIN, Role.METHODOLOGIST, Role.SCHOOL_HEAD, Role.VIEWER), before="admin:index")
        demo_seeded.connect(_demo_calendar, dispatch_uid="monitoring-demo-calendar")


def _demo_calendar(sender, scale, municipalities, **kwargs):
    from .calendar import create_year_with_defaults

    if scale == "district":
        for municipality in municipalities:
            for year in (2024, 2025, 2026, 2027):
                create_year_with_defaults(municipality, year)
