from django.apps import AppConfig


class TeachersConfig(AppConfig):
    name = "teachers"
    verbose_name = "Педагогические кадры"

    def ready(self):
        from . import navigation
        from .models import Role

        everyone = (Role.ADMIN, Role.METHODOLOGIST, Role.SCHOOL_HEAD, Role.VIEWER)
        navigation.register("ОО", "school-list", everyone, before="admin:index")
        navigation.register("Педагоги", "teacher-list", everyone, before="admin:index")
        for title, url_name in [("Диагностика", "campaign-list"), ("ИОМ", "route-list"), ("Мероприятия", "event-list"),
                                ("Наставничество", "mentorship-list"), ("РМО и ШМО", "association-list"),
                                ("Вакансии", "vacancy-list"), ("Резерв", "reserve-list"), ("Запросы на ПК", "request-list")]:
            navigation.register(title, url_name, everyone, before="admin:index")
        navigation.register(
            "Импорт штата", "staff-import", (Role.ADMIN, Role.METHODOLOGIST, Role.SCHOOL_HEAD), before="admin:index"
        )
