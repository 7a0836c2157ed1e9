from django.apps import AppConfig


class TeachersConfig(AppConfig):
    name = "teachers"
    verbose_name = "Педагогические кадры"

    def ready(self):
        from . import navigation

        navigation.register("ОО", "school-list", before="admin:index")
        navigation.register("Педагоги", "teacher-list", before="admin:index")
        for title, url_name in [("Диагностика", "campaign-list"), ("Результаты диагностики", "result-list"),
                                ("ИОМ", "route-list"), ("Мероприятия ИОМ", "activity-list"),
                                ("Мероприятия", "event-list"), ("Участие в мероприятиях", "participation-list"),
                                ("Наставничество", "mentorship-list"),
                                ("Целевая модель наставничества", "mentorship-model-list"),
                                ("РМО и ШМО", "association-list"), ("Участники объединений", "membership-list"),
                                ("Вакансии", "vacancy-list"), ("Резерв", "reserve-list"), ("Запросы на ПК", "request-list"),
                                ("Анкеты «Запросы педагогов»", "survey-list"),
                                ("Сводка запросов", "request-summary")]:
            navigation.register(title, url_name, before="admin:index")
        navigation.register("Импорт", "import", before="admin:index")
