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
        navigation.register(
            "Импорт штата", "staff-import", (Role.ADMIN, Role.METHODOLOGIST, Role.SCHOOL_HEAD), before="admin:index"
        )
