from django.http import JsonResponse
from django.utils import timezone

from .engine import LEVELS, Period, compute
from .serialize import as_json


def values_json(request):
    """GET /indicators/api/values.json?period=2025&level=school — scoped like the pages."""
    level = request.GET.get("level", "municipality")
    if level not in (*LEVELS, "district"):
        return JsonResponse({"error": f"Неизвестный уровень «{level}»."}, status=400)
    text = request.GET.get("period") or request.GET.get("year") or str(timezone.localdate().year)
    try:
        period = Period.parse(text)
    except ValueError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    codes = [c for c in request.GET.get("codes", "").split(",") if c] or None
    result = compute(period, user=request.user, codes=codes)
    return JsonResponse(as_json(result, level), json_dumps_params={"ensure_ascii": False})
