"""Reference data (справочники): loaded from fixtures/reference.json, editable by admins."""
from django.db import models


class ReferenceModel(models.Model):
    code = models.SlugField("код", max_length=40, unique=True)
    name = models.CharField("наименование", max_length=200)
    order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Cluster(ReferenceModel):
    """Кластер ОО: МКШ, УМКШ, гимназия — the grouping of seed 000's analysis."""

    short_name = models.CharField("краткое наименование", max_length=40)

    class Meta(ReferenceModel.Meta):
        verbose_name = "кластер"
        verbose_name_plural = "кластеры"


class Position(ReferenceModel):
    is_teaching = models.BooleanField(
        "учитель", default=True, help_text="Должность учителя (а не иного педагогического работника)."
    )

    class Meta(ReferenceModel.Meta):
        verbose_name = "должность"
        verbose_name_plural = "должности"


class Subject(ReferenceModel):
    class Meta(ReferenceModel.Meta):
        verbose_name = "предмет"
        verbose_name_plural = "предметы"


class EducationLevel(ReferenceModel):
    is_higher = models.BooleanField("высшее", default=False)
    is_pedagogical = models.BooleanField("педагогическое", default=False)

    class Meta(ReferenceModel.Meta):
        verbose_name = "уровень образования"
        verbose_name_plural = "уровни образования"


class QualificationCategory(ReferenceModel):
    """Квалификационная категория: высшая, первая, СЗД, без категории."""

    class Meta(ReferenceModel.Meta):
        verbose_name = "квалификационная категория"
        verbose_name_plural = "квалификационные категории"


class DeficitArea(ReferenceModel):
    class Meta(ReferenceModel.Meta):
        verbose_name = "область профессиональных дефицитов"
        verbose_name_plural = "области профессиональных дефицитов"


class EventKind(ReferenceModel):
    """Вид мероприятия. `group` is what indicators select on, so new kinds slot in without code."""

    class Group(models.TextChoices):
        COURSE = "course", "Курсы повышения квалификации"
        RETRAINING = "retraining", "Профессиональная переподготовка"
        METHODICAL = "methodical", "Научно-методическое мероприятие"
        CONTEST = "contest", "Конкурс профессионального мастерства"
        PUBLICATION = "publication", "Публикация"
        ASSOCIATION = "association", "Заседание методического объединения"
        NETWORK = "network", "Сетевое мероприятие"

    group = models.CharField("группа", max_length=20, choices=Group.choices)

    class Meta(ReferenceModel.Meta):
        verbose_name = "вид мероприятия"
        verbose_name_plural = "виды мероприятий"


class EventLevel(ReferenceModel):
    """Уровень мероприятия; `rank` orders школьный < муниципальный < региональный < федеральный < международный."""

    rank = models.PositiveSmallIntegerField("ранг", unique=True)

    class Meta(ReferenceModel.Meta):
        verbose_name = "уровень мероприятия"
        verbose_name_plural = "уровни мероприятий"
        ordering = ["rank"]


class AssociationKind(ReferenceModel):
    is_network = models.BooleanField(
        "сетевое взаимодействие", default=True, help_text="Участие засчитывается в показатель сетевого взаимодействия."
    )
    is_school_level = models.BooleanField("школьного уровня", default=False)

    class Meta(ReferenceModel.Meta):
        verbose_name = "вид объединения"
        verbose_name_plural = "виды объединений"
