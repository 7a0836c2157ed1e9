import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mskoko.settings")
application = get_wsgi_application()

try:  # say at start-up, not at the first failing page, that the database or Redis is down
    from mskoko.health import log_startup_state

    log_startup_state()
except Exception:  # never keep the server from starting: /healthz/ and the error pages say the rest
    logging.getLogger("mskoko.health").exception("Start-up check failed")
