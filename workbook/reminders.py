"""Overdue action items (registered from WorkbookConfig.ready()).

An open or in-progress item whose due date is before today in its owner's time zone
gets one notification, once per item (key ``action_item_overdue:item:<id>``), not a
daily digest: a digest would either repeat every day (nagging) or need its own record
of which items it covered. Only items that fell due within the last RECENT_DAYS days
are looked at, which bounds the scan and spares people years-old items when the job
first runs.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import formats
from django.utils.translation import gettext as _

from accounts.models import NotificationKind
from accounts.notifications import Message, Reminder, send_reminders, url_or
from accounts.reminders import RECENT_DAYS, local_today, register_reminder
from workbook.models import ActionItem, ActionItemStatus

OPEN = (ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS)
EXCERPT = 80


def _url(item: ActionItem) -> str:
    fallback = url_or("workbook:detail", item.workbook_id) if item.workbook_id else "/"
    return url_or("coaching:my_action_items", fallback=fallback or "/")


def _message(item: ActionItem) -> Message:
    what = " ".join(item.description.split())
    if len(what) > EXCERPT:
        what = what[: EXCERPT - 1] + "…"
    return Message(
        title=_("Action item overdue: %(what)s") % {"what": what},
        body=_(
            "It was due on %(date)s. Mark it done, or agree a new date with your coach."
        )
        % {"date": formats.date_format(item.due_date, "DATE_FORMAT")},
        url=_url(item),
    )


def _is_overdue(item: ActionItem, now: datetime) -> bool:
    today = local_today(item.owner, now)
    return today - timedelta(days=RECENT_DAYS) <= item.due_date < today


def action_items_overdue(now: datetime) -> int:
    utc_today = now.date()
    items = ActionItem.objects.filter(
        status__in=OPEN,
        due_date__gte=utc_today - timedelta(days=RECENT_DAYS + 1),
        due_date__lte=utc_today,
    ).select_related("owner")
    return send_reminders(
        Reminder(
            user=item.owner,
            kind=NotificationKind.ACTION_ITEM_OVERDUE,
            dedupe_key=f"action_item_overdue:item:{item.pk}",
            compose=lambda i=item: _message(i),
        )
        for item in items
        if _is_overdue(item, now)
    )


def register() -> None:
    register_reminder(action_items_overdue)
