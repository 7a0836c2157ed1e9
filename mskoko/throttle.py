"""Fixed-window request counters in the cache, for pages open without an account (the survey answer page).

`exceeded(scope, key, limit, window)` counts one hit and says whether the key went over `limit` hits in the current
`window` seconds. Keys are hashed, so neither addresses nor link tokens sit in the cache in clear. A cache that
fails (Redis down) lets the request through and logs once per failure: the answer page must not go down with it,
and the counters are a brake, not the only guard (tokens are unguessable).
"""
import hashlib
import logging
import time

from django.core.cache import cache

logger = logging.getLogger("mskoko.throttle")


def _key(scope, key, window):
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}:{int(time.time() // window)}"


def exceeded(scope, key, limit, window):
    if not key:
        key = "-"
    name = _key(scope, key, window)
    try:
        if cache.add(name, 1, timeout=window + 5):
            count = 1
        else:
            count = cache.incr(name)
    except Exception as exc:  # noqa: BLE001 - any cache failure: let the request through
        logger.warning("Throttle counter unavailable (%s): request not limited", type(exc).__name__)
        return False
    return count > limit
