from django.apps import AppConfig


class TeachersConfig(AppConfig):
    name = "teachers"
    verbose_name = "Педагогические кадры"

    def ready(self):
        from . import navigation

        navigation.register("ОО", "school-list", before="admin:index")
        navigation.register("Педагоги", "teacher-list", before="admin:index")
        for title, url_name in [("Диагностика", "campaign-list"), ("ИОМ", "route-list"), ("Мероприятия", "event-list"),
                                ("Наставничество", "mentorship-list"), ("РМО и ШМО", "association-list"),
                                ("Вакансии", "vacancy-list"), ("Резерв", "reserve-list"), ("Запросы на ПК", "request-list")]:
            navigation.register(title, url_name, before="admin:index")
        navigation.register("Импорт штата", "staff-import", before="admin:index")
