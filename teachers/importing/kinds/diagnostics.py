"""Diagnostic results of a campaign (ЦНППМ / ЦОПМКП): score and deficit areas, imported into a campaign."""
from decimal import Decimal

from teachers import scoping
from teachers.models import DeficitArea, DiagnosticCampaign, DiagnosticResult

from ..columns import Column, ColumnSet
from ..values import parse_decimal
from .base import Context, Kind
from .common import NUMBER, deficit_lookup, many, people, text

COLUMNS = ColumnSet([
    *people(),
    Column("score", "Балл", ("Баллы", "Количество баллов", "Итоговый балл", "Результат, балл", "Сумма баллов",
                             "Набранный балл", "Балл за диагностику"), kind="decimal", width=10,
           note="От 0 до максимального балла диагностики.", example="34,5"),
    Column("deficit_areas", "Дефициты", ("Выявленные дефициты", "Области дефицитов", "Профессиональные дефициты",
                                         "Дефицитные области", "Область дефицитов", "Выявленные затруднения"),
           kind="many", width=40, note="Через запятую, из справочника; «нет» — дефициты не выявлены.",
           example="методические, цифровые (ИКТ-компетенции)"),
    Column("comment", "Комментарий", ("Примечание", "Рекомендации"), width=30),
    NUMBER,
], ["fio", "birth_date", "snils", "score", "deficit_areas", "comment"], "Результаты")


def _campaigns(user):
    return scoping.scoped(user, DiagnosticCampaign.objects.all()).order_by("-start_date", "title")


class DiagnosticResults(Kind):
    code = "diagnostics"
    title = "Результаты диагностики"
    description = ("Баллы и выявленные дефициты педагогов из файла ЦНППМ / ЦОПМКП — в выбранную диагностику. "
                   "Повторная загрузка обновляет балл и добавляет дефициты.")
    columns = COLUMNS
    model = DiagnosticResult
    context = Context("campaign", "Диагностика", _campaigns)
    value_fields = ("score", "comment")
    many_field = "deficit_areas"
    record_word = ("результат", "результата", "результатов")

    def references(self):
        return {"deficits": deficit_lookup()}

    def parse(self, row, read, problem, refs, campaign):
        maximum = campaign.max_score if campaign.max_score is not None else Decimal(1000)
        score = read("score", lambda v: parse_decimal(v, places=2, minimum=0, maximum=maximum,
                                                      units=("б", "балл", "балла", "баллов")))
        if score is not None:
            row.values["score"] = score
        comment = read("comment", text(2000))
        if comment:
            row.values["comment"] = comment
        areas = read("deficit_areas", lambda v: many(refs["deficits"], v))
        if areas:
            row.many["deficit_areas"] = areas

    def key(self, item, campaign):
        return item.values["teacher_id"]

    def existing(self, items, campaign, plan):
        ids = [item.key for item in items]
        return {r.teacher_id: r for r in DiagnosticResult.objects.filter(campaign=campaign, teacher_id__in=ids)}

    def new(self, item, campaign):
        return DiagnosticResult(campaign=campaign, **item.values)

    def derive(self, obj, item):
        if item.new_links.get("deficit_areas") and not obj.has_deficits:
            obj.has_deficits = True  # bulk writes bypass the m2m signal that keeps the flag
            return ("has_deficits",)
        return ()

    def describe(self, item):
        parts = []
        if "score" in item.values:
            parts.append(f"балл {str(item.values['score']).replace('.', ',')}")
        areas = item.many.get("deficit_areas")
        parts.append("дефициты: " + ", ".join(a.name for a in areas) if areas else "без дефицитов")
        return "; ".join(parts)

    def reference_lists(self):
        return {"deficit_areas": list(DeficitArea.objects.order_by("order", "name").values_list("name", flat=True))}

    def instruction(self):
        return [
            ("Куда", "Результаты загружаются в диагностику, выбранную на странице загрузки."),
            ("Дефициты", "Через запятую, названия с листа «Справочники»; «нет» или пусто — дефициты не выявлены. "
                         "При повторной загрузке дефициты только добавляются."),
        ]
