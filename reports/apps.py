from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Документы"

    def ready(self):
        from teachers import navigation
        from teachers.models import Role

        navigation.register("Документы", "documents",
                            (Role.ADMIN, Role.METHODOLOGIST, Role.SCHOOL_HEAD, Role.VIEWER), before="admin:index")
