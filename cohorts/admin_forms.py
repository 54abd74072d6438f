"""The Wagtail admin form for a cohort: session times are read and written in the
cohort's own time zone, whoever edits them and wherever they are."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm

TIME_FIELDS = ("starts_at", "ends_at")


def _zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def as_wall_clock(value: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The naive local time in `zone`, which the form shows as typed."""
    return value.astimezone(zone).replace(tzinfo=None)


def reinterpret(value: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The form parsed the wall-clock time in the editor's zone; read it in `zone`."""
    wall = timezone.localtime(value).replace(tzinfo=None)
    return wall.replace(tzinfo=zone)


class CohortAdminForm(WagtailAdminModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = _zone(self.instance.time_zone) if self.instance.pk else None
        sessions = self.formsets.get("sessions")
        if zone is None or sessions is None:
            return
        for form in sessions.forms:
            for name in TIME_FIELDS:
                value = getattr(form.instance, name, None)
                if value is not None:
                    form.initial[name] = as_wall_clock(value, zone)

    def save(self, commit: bool = True) -> Any:
        zone = _zone(self.cleaned_data.get("time_zone"))
        sessions = self.formsets.get("sessions")
        if zone is not None and sessions is not None:
            for form in sessions.forms:
                if not getattr(form, "cleaned_data", None):
                    continue
                for name in TIME_FIELDS:
                    value = form.cleaned_data.get(name)
                    if value is not None:
                        setattr(form.instance, name, reinterpret(value, zone))
        return super().save(commit=commit)
