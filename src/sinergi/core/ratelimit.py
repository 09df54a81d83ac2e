"""Rate limits in the shared cache (django-ratelimit over CACHES["default"]), keyed by the real client
address: the peer, or behind a trusted reverse proxy (SINERGI_TRUSTED_PROXIES) the nearest untrusted
address in X-Forwarded-For. Limits are in settings (SINERGI_RATE_PUBLIC, SINERGI_RATE_LOGIN)."""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django_ratelimit.core import is_ratelimited


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]):
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            continue
    return tuple(networks)


def is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return False
    return any(ip in net for net in _networks(tuple(settings.SINERGI_TRUSTED_PROXIES)))


def client_ip(request) -> str:
    """The address of the person's machine: walk X-Forwarded-For from the right past trusted proxies."""
    peer = request.META.get("REMOTE_ADDR") or ""
    if not is_trusted_proxy(peer):
        return peer or "unknown"
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not is_trusted_proxy(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # a malformed chain: do not let it choose its own bucket
    return peer


def _key(group, request) -> str:
    return client_ip(request)


def rate_limited(request, *, group: str, rate: str | None = None) -> bool:
    """Count this request against `group` for the client; True once the limit is passed."""
    return is_ratelimited(
        request, group=group, key=_key, rate=rate or settings.SINERGI_RATE_PUBLIC, increment=True
    )
