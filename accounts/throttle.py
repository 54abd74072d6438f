"""Sign-in throttle: too many wrong passwords for one address from one client waits.

The count is kept in the default cache (Redis in production, so every web process
shares it) under a key made of the normalised email address and the client address.
Counting the pair, not the client address alone, lets the rest of an office behind one
NAT address sign in while somebody guesses a colleague's password; counting the address
too means a guesser cannot lock a user out from everywhere.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind PROXY_COUNT proxies the address they saw."""
    proxies = settings.PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))


def _key(request: HttpRequest, email: str) -> str:
    who = f"{email.strip().lower()}|{client_address(request)}"
    return "login-failures:" + hashlib.sha256(who.encode()).hexdigest()


def is_locked(request: HttpRequest, email: str) -> bool:
    return int(cache.get(_key(request, email), 0)) >= settings.LOGIN_FAILURE_LIMIT


def record_failure(request: HttpRequest, email: str) -> None:
    key = _key(request, email)
    timeout = settings.LOGIN_COOLOFF_MINUTES * 60
    if cache.add(key, 1, timeout):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout)


def reset(request: HttpRequest, email: str) -> None:
    cache.delete(_key(request, email))
