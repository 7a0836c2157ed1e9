"""Sample records of the management cycle for page and permission tests."""
from datetime import date

from indicators.models import Direction
from monitoring import models as mm


def cycle_sample(model, school):
    """One record of a cycle model in `school`'s municipality (recommendations: addressed to `school`)."""
    common = {"municipality": school.municipality, "year": 2025, "direction": Direction.objects.order_by("order").first()}
    if model is mm.Goal:
        return mm.Goal.objects.create(**common, text="Выявление профессиональных дефицитов")
    if model is mm.Method:
        return mm.Method.objects.create(**common, collection="Опрос, анализ документов")
    if model is mm.Analysis:
        return mm.Analysis.objects.create(**common, text="Анализ диагностики", written_on=date(2025, 6, 1))
    if model is mm.Recommendation:
        rec = mm.Recommendation.objects.create(**common, text="Закрепить наставников", due=date(2025, 12, 1))
        rec.schools.set([school])
        return rec
    if model is mm.Measure:
        return mm.Measure.objects.create(**common, title="Семинар для молодых педагогов", start=date(2025, 3, 1))
    if model is mm.Decision:
        return mm.Decision.objects.create(**common, text="Рейтинг «Вклад ОО»", decided_on=date(2025, 9, 1))
    if model is mm.EffectivenessReview:
        return mm.EffectivenessReview.objects.create(**common, conclusions="Меры эффективны",
                                                     reviewed_on=date(2025, 12, 20))
    raise AssertionError(model)
