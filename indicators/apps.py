from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Показатели"

    def ready(self):
        from teachers import navigation
        from teachers.demo import demo_seeded

        from . import engine, freshness  # noqa: F401  (importing the engine declares its measures for the catalogue)

        freshness.connect()
        demo_seeded.connect(_demo_targets, dispatch_uid="indicators-demo-targets")
        navigation.register("Показатели", "dashboard-district", before="admin:index")
        navigation.register("Рейтинг «Вклад ОО»", "rating", before="admin:index")
        navigation.GROUPS.setdefault("Показатели", ["dashboard-district", "rating"])


def _demo_targets(sender, scale, municipalities, **kwargs):
    """The demo district gets plausible targets so dashboards show reached / not reached."""
    from .catalogue import load_demo_targets

    if scale == "district":
        for municipality in municipalities:
            load_demo_targets(municipality)
