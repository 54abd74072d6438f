"""The notifications page, opening one, "mark all read", and the preferences page.

Opening and marking are POSTs (CSRF-protected): a link in someone else's page cannot
mark your notifications read. Another user's notification is 404.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import inbox
from accounts.models import NotificationKind

PAGE_SIZE = 20
JUST_NOW = timedelta(minutes=1)


def _list_context(request: HttpRequest) -> dict[str, object]:
    unread_only = request.GET.get("show") == "unread"
    rows = inbox.notifications_for(request.user, unread_only=unread_only)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for notification in page:  # "just now" reads better than "0 minutes ago"
        notification.just_now = now - notification.created_at < JUST_NOW
    return {"page_obj": page, "unread_only": unread_only}


@login_required
@require_http_methods(["GET"])
def notification_list(request: HttpRequest) -> HttpResponse:
    template = "accounts/notifications/list.html"
    if request.htmx:
        template += "#results"
    response = render(request, template, _list_context(request))
    response["Vary"] = "HX-Request"
    return response


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    target = inbox.notification_open(user=request.user, pk=pk)
    return HttpResponseRedirect(target or reverse("accounts:notifications"))


@login_required
@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    marked = inbox.notifications_mark_all_read(user=request.user)
    if request.htmx:
        return render(
            request, "accounts/notifications/list.html#marked", _list_context(request)
        )
    if marked:
        messages.success(request, _("All notifications are marked as read."))
    return HttpResponseRedirect(reverse("accounts:notifications"))


def _choices_from(post: dict[str, str]) -> dict[str, tuple[bool, bool]]:
    """Unchecked boxes are absent from a form post: absent means off."""
    return {
        kind: (f"{kind}-in_app" in post, f"{kind}-email" in post)
        for kind in NotificationKind.values
    }


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        inbox.notification_preferences_save(
            user=request.user, choices=_choices_from(request.POST)
        )
        messages.success(request, _("Your notification choices are saved."))
        return HttpResponseRedirect(reverse("accounts:notification_preferences"))
    return render(
        request,
        "accounts/notifications/preferences.html",
        {"rows": inbox.preference_rows(request.user)},
    )
