"""The client's address as the app should believe it, behind a known number of reverse proxies.

`settings.TRUSTED_PROXY_COUNT` (default 0) says how many proxies of our own stand in front of the app. Each
appends the address it got the request from to X-Forwarded-For, so with N of them the client is the N-th entry
from the right; anything further left was written by the client and proves nothing. With 0, or a header shorter
than N (a request that did not come through our proxies), the address is the connection's own (REMOTE_ADDR).
Shared by the audit logs and the login throttling.
"""
import ipaddress

from django.conf import settings


def _ip(value):
    """`value` as a normalised IP address, or None; tolerates the port some proxies add ("1.2.3.4:5678",
    "[2001:db8::1]:443")."""
    value = (value or "").strip()
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request):
    """The client's IP address as text, or None when there is no believable one."""
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count > 0:
        hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            address = _ip(hops[-count])
            if address:
                return address
    return _ip(request.META.get("REMOTE_ADDR"))
