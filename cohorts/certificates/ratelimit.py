"""Per-IP limit on certificate lookups, kept in the default cache.

Only well-formed codes reach the database, and only those count: a person typing a
code wrongly is told so at once and keeps their budget. A fixed window is enough
here: codes carry 55 random bits, so 20 guesses per 10 minutes finds nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

LIMIT = getattr(settings, "CERTIFICATE_VERIFY_LIMIT", 20)
WINDOW_SECONDS = getattr(settings, "CERTIFICATE_VERIFY_WINDOW", 600)


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow_lookup(request: HttpRequest) -> bool:
    """Count one lookup for this IP; False once the window's budget is spent."""
    key = f"certificates:verify:{client_ip(request)}"
    if cache.add(key, 1, WINDOW_SECONDS):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)
        return True
    return count <= LIMIT
