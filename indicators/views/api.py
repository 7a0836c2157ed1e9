import re

from django.http import JsonResponse
from django.utils import timezone

from ..engine import LEVELS, Period, compute
from ..serialize import as_json

CODE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,19}")


def _error(message):
    return JsonResponse({"error": message}, status=400, json_dumps_params={"ensure_ascii": False})


def values_json(request):
    """GET /indicators/api/values.json?period=2025&level=school — scoped like the pages; bad parameters get 400."""
    level = request.GET.get("level", "municipality")
    if level not in (*LEVELS, "district"):
        return _error(f"Неизвестный уровень «{level[:40]}»: ожидается {', '.join((*LEVELS, 'district'))}.")
    text = request.GET.get("period") or request.GET.get("year") or str(timezone.localdate().year)
    try:
        period = Period.parse(text)
    except ValueError as exc:
        return _error(str(exc))
    codes = [c.strip() for c in request.GET.get("codes", "").split(",") if c.strip()] or None
    bad = [c for c in codes or () if not CODE.fullmatch(c)]
    if bad or codes and len(codes) > 100:
        return _error(f"Неверный код показателя «{(bad or codes)[0][:40]}»: ожидаются коды через запятую (D1,M1).")
    result = compute(period, user=request.user, codes=codes)
    return JsonResponse(as_json(result, level), json_dumps_params={"ensure_ascii": False})
