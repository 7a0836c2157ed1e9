from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Документы"

    def ready(self):
        from teachers import navigation

        navigation.register("Документы", "documents", before="admin:index")
