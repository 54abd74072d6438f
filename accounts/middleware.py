"""Activate each request's interface language and time zone.

Order of precedence for the language: the signed-in user's saved preference, then
the language cookie set by the switcher, then Simplified Chinese. The browser's
Accept-Language is deliberately ignored: the product is Chinese-first and trainees
share workshop machines.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

SUPPORTED_LANGUAGES = {code for code, _ in settings.LANGUAGES}


def request_language(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if (
        user is not None
        and user.is_authenticated
        and user.preferred_language in SUPPORTED_LANGUAGES
    ):
        return str(user.preferred_language)
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if cookie in SUPPORTED_LANGUAGES:
        return cookie
    return str(settings.LANGUAGE_CODE)


def request_time_zone(request: HttpRequest) -> zoneinfo.ZoneInfo:
    user = getattr(request, "user", None)
    name = settings.TIME_ZONE
    if user is not None and user.is_authenticated and user.time_zone:
        name = user.time_zone
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


class UserPreferencesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        timezone.activate(request_time_zone(request))
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        timezone.deactivate()
        translation.deactivate()
        return response
