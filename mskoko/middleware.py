"""Project middleware: the health probe answered first; responses that browsers and proxies must not keep."""
from django.utils.cache import patch_cache_control

from .views import healthz

HEALTHZ_PATH = "/healthz/"


class HealthzMiddleware:
    """Answers /healthz/ before anything looks at the Host header or redirects to HTTPS: the container's probe
    asks http://127.0.0.1:8000/healthz/, which production would otherwise refuse (400 DisallowedHost) or
    redirect (301). The answer names only which service is down, nothing about the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTHZ_PATH and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)


class NoStoreMiddleware:
    """`Cache-Control: no-store, private` on every response to a signed-in user and on every download.

    Nearly every signed-in page carries personal data (names, a teacher's card, exports, JSON, documents), and
    telling those apart per view would leave the next new page uncovered; a page not kept in the browser's
    cache costs little here. Static files never reach this middleware (whitenoise and the dev server's static
    handler answer first), so they stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or response.has_header("Content-Disposition"):
            patch_cache_control(response, no_store=True, private=True)
        return response
