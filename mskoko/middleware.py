"""Project middleware: the health probe answered first; the idle timeout of sessions."""
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
