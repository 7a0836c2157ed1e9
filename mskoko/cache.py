"""The Redis cache that a down Redis cannot take pages down with.

Every operation that fails on a connection error is treated as a miss (reads) or skipped (writes) and logged;
for `RETRY_SECONDS` after a failure Redis is not asked at all (one log line per such interval), so pages do
not each wait for a connect timeout. Everything cached here can be computed again (indicator values), so nothing is lost.
"""
import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("mskoko.cache")
RETRY_SECONDS = 30


class ResilientRedisCache(RedisCache):
    _down_until = 0.0

    def _guard(self, name, default, *args, **kwargs):
        if time.monotonic() < ResilientRedisCache._down_until:
            return default
        try:
            return getattr(super(), name)(*args, **kwargs)
        except (RedisError, OSError) as exc:
            if ResilientRedisCache._down_until == 0.0 or time.monotonic() >= ResilientRedisCache._down_until:
                logger.warning("Redis cache unavailable (%s: %s): computing without the cache for %s s",
                               type(exc).__name__, exc, RETRY_SECONDS)
            ResilientRedisCache._down_until = time.monotonic() + RETRY_SECONDS
            return default

    def get(self, key, default=None, version=None):
        return self._guard("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._guard("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._guard("has_key", False, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("add", False, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._guard("delete_many", None, keys, version)

    def clear(self):
        return self._guard("clear", False)
