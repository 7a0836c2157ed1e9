"""Strict readers for settings taken from the environment.

A bad value stops start-up with a message that names the variable, instead of
surfacing later as an obscure error deep inside a request.
"""
import os

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_str(name, default=None, *, required=False):
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
        return default
    return value


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(
        f"Environment variable {name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off."
    )


def _env_number(name, default, convert, what, minimum, maximum):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = convert(raw)
    except ValueError:
        raise ImproperlyConfigured(f"Environment variable {name}={raw!r} is not {what}.") from None
    if minimum is not None and value < minimum or maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"Environment variable {name}={raw!r} is out of range [{minimum}, {maximum}].")
    return value


def env_int(name, default, *, minimum=None, maximum=None):
    return _env_number(name, default, int, "an integer", minimum, maximum)


def env_float(name, default, *, minimum=0.01, maximum=1000.0):
    return _env_number(name, default, float, "a number", minimum, maximum)


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"Environment variable {name} is set but lists nothing.")
    return items


def env_database(name="DATABASE_URL", default_sqlite_path=None):
    import dj_database_url

    raw = os.environ.get(name)
    if not raw:
        # Web server and worker write the same file: IMMEDIATE transactions take the write lock when they
        # begin, so two writers queue on the timeout instead of failing with "database is locked".
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(default_sqlite_path),
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE",
                        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
        }
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj_database_url raises several types for garbage
        raise ImproperlyConfigured(f"переменная {name} — не адрес базы данных ({exc}); "
                                   "ожидается postgres://… или sqlite:///…") from None
    engine = config.get("ENGINE", "")
    if engine not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
        raise ImproperlyConfigured(
            f"переменная {name} называет неподдерживаемую базу данных ({engine or 'неизвестную'}); "
            "ожидается postgres://… или sqlite:///…"
        )
    if engine == "django.db.backends.postgresql":
        if not config.get("NAME"):
            raise ImproperlyConfigured(f"в переменной {name} не указано имя базы данных (postgres://…/имя).")
        # JIT compilation triples the planning+execution time of our aggregate
        # queries at region scale, and they never run long enough to profit.
        # random_page_cost 1.1 (SSD storage, a hot cache): with the default 4 the planner
        # scans whole source tables for a district's 800 teachers instead of using the
        # teacher_id indexes — twice the engine's time at district scale.
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"-c jit=off -c random_page_cost={env_float('PG_RANDOM_PAGE_COST', 1.1)}"
        # A database host that does not answer fails a connection in seconds, not after the TCP timeout:
        # pages answer 503 and commands print their one line instead of hanging for minutes.
        options["connect_timeout"] = env_int("PG_CONNECT_TIMEOUT", 5, minimum=1, maximum=300)
    return config


def env_redis_url(name="REDIS_URL"):
    raw = os.environ.get(name)
    if not raw:
        return None
    if not raw.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"Environment variable {name}={raw!r} must start with redis://, rediss:// or unix://.")
    return raw
