"""What the app depends on, checked the same way by /healthz/, start-up and the error pages.

Each check answers (ok, text): `text` is a short Russian phrase for people and the health JSON; connection
details stay in the log. Timeouts are short so that a probe never hangs on a host that does not answer.
"""
import logging
import re

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger("mskoko.health")
TIMEOUT_SECONDS = 2


def safe_url(url):
    """The URL with its password hidden, for messages and logs."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url or "")


def check_database():
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.error("Database check failed: %s", database_error_line(exc))
        try:
            connections["default"].close()  # the next request connects afresh
        except DatabaseError:
            pass
        return False, "недоступна"
    return True, "ok"


def check_redis():
    url = getattr(settings, "REDIS_URL", None)
    if not url:
        return True, "не используется (встроенный режим)"
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS)
        try:
            client.ping()
        finally:
            client.close()
    except (redis.RedisError, OSError) as exc:
        logger.error("Redis check failed (%s): %s", safe_url(url), exc)
        return False, "недоступен"
    return True, "ok"


CHECKS = {"database": check_database, "redis": check_redis}


def report():
    """{"status": "ok"|"fail", "database": …, "redis": …} and whether everything is up."""
    out, healthy = {}, True
    for name, check in CHECKS.items():
        ok, text = check()
        out[name] = text
        healthy &= ok
    return {"status": "ok" if healthy else "fail", **out}, healthy


def log_startup_state():
    """One line per service that is down, when a web process starts (gunicorn, runserver)."""
    ok, _ = check_database()
    if not ok:
        logger.error("База данных недоступна (DATABASE_URL=%s): страницы будут отвечать «Сервис временно "
                     "недоступен», пока она не вернётся.", safe_url(_database_url()))
    ok, _ = check_redis()
    if not ok:
        logger.error("Redis недоступен (REDIS_URL=%s): кэш показателей отключён, заказ документов невозможен, "
                     "пока он не вернётся.", safe_url(settings.REDIS_URL))


def _database_url():
    import os

    return os.environ.get("DATABASE_URL") or f"sqlite:///{settings.DATABASES['default']['NAME']}"


# What psycopg2 and sqlite3 say, and what it means for the person who set DATABASE_URL.
_CAUSES = [
    ("connection refused", "сервер базы данных не принимает соединения (не запущен или другой адрес/порт)"),
    ("could not translate host name", "имя сервера базы данных не найдено"),
    ("timeout expired", "сервер базы данных не ответил вовремя"),
    ("password authentication failed", "неверное имя пользователя или пароль"),
    ("no password supplied", "не указан пароль"),
    ("does not exist", "такой базы данных или пользователя нет на сервере"),
    ("unable to open database file", "файл SQLite нельзя открыть (нет каталога или прав)"),
    ("database is locked", "файл SQLite занят другим процессом"),
]


def database_error_line(exc):
    """One Russian line for a database that cannot be used: what is wrong and which setting to check."""
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    cause = next((ru for needle, ru in _CAUSES if needle in text.lower()), f"ошибка соединения ({first})")
    return (f"Ошибка: база данных недоступна — {cause}. Проверьте переменную DATABASE_URL "
            f"({safe_url(_database_url())}) и что сервер базы данных запущен.")
