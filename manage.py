#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mskoko.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import InterfaceError, OperationalError

    try:
        execute_from_command_line(sys.argv)
    except (OperationalError, InterfaceError) as exc:
        # The database is down or misconfigured: one line that names the setting, not a traceback.
        from mskoko.health import database_error_line

        sys.stderr.write(database_error_line(exc) + "\n")
        sys.exit(1)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"Ошибка настройки: {exc}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
