"""Writes for 1:1 follow-ups: schedule, record (notes, held/cancelled, action items),
the trainee's reflection, booking the next one, and moving one's own action items.

Every service checks the acting user on the object and raises `ValidationError` with
a message for the user, or `PermissionDenied`, before writing anything; the ones that
write several rows run in one transaction, so a refused action item leaves the
follow-up as it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from cohorts.coaching.followups import selectors
from cohorts.coaching.models import FollowUp, FollowUpStatus
from cohorts.models import Cohort, EnrolmentStatus

NEXT_FOLLOW_UP_AFTER = dt.timedelta(days=7)


@dataclass(frozen=True, slots=True)
class ActionItemDraft:
    """One action item agreed in the follow-up form."""

    description: str
    owner: User
    due_date: dt.date | None = None


def _check_coach(user: User, cohort: Cohort) -> None:
    if not selectors.can_coach(user=user, cohort=cohort):
        raise PermissionDenied


def _check_trainee(cohort: Cohort, trainee: User) -> None:
    if not cohort.enrolments.filter(
        user=trainee, status=EnrolmentStatus.ACTIVE
    ).exists():
        raise ValidationError(_("This person is not an active trainee of the cohort."))


def follow_up_schedule(
    *,
    cohort: Cohort,
    coach: User,
    trainee: User,
    scheduled_at: dt.datetime,
    duration_minutes: int = 45,
    location: str = "",
    agenda: str = "",
    previous: FollowUp | None = None,
) -> FollowUp:
    """Book a 1:1 between a coach of the cohort (or staff) and one of its trainees."""
    _check_coach(coach, cohort)
    _check_trainee(cohort, trainee)
    if previous is not None and (
        previous.cohort_id != cohort.pk or previous.trainee_id != trainee.pk
    ):
        raise PermissionDenied
    return FollowUp.objects.create(
        cohort=cohort,
        coach=coach,
        trainee=trainee,
        scheduled_at=scheduled_at,
        duration_minutes=duration_minutes,
        location=location.strip(),
        agenda=agenda.strip(),
        previous=previous,
    )


def _validate_drafts(drafts: list[ActionItemDraft], follow_up: FollowUp) -> None:
    today = timezone.localdate()
    allowed = {person.pk for person in selectors.owner_choices(follow_up=follow_up)}
    errors = []
    for number, draft in enumerate(drafts, start=1):
        if not draft.description.strip():
            errors.append(
                _("Action item %(n)s: say what will be done.") % {"n": number}
            )
        if draft.owner.pk not in allowed:
            errors.append(
                _("Action item %(n)s: the owner must be the trainee or the coach.")
                % {"n": number}
            )
        if draft.due_date is not None and draft.due_date < today:
            errors.append(
                _(
                    "Action item %(n)s: the due date %(date)s is in the past. "
                    "Choose today or a later day."
                )
                % {"n": number, "date": draft.due_date.isoformat()}
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def follow_up_record(
    *,
    follow_up: FollowUp,
    coach: User,
    status: str,
    notes: str,
    agenda: str | None = None,
    action_items: list[ActionItemDraft] | None = None,
) -> list[Any]:
    """Save the coach's notes and the outcome (held / cancelled / still scheduled) and
    create the action items agreed. Returns the new action items. All or nothing."""
    _check_coach(coach, follow_up.cohort)
    if status not in FollowUpStatus.values:
        raise ValidationError(_("Unknown follow-up status."))
    drafts = action_items or []
    _validate_drafts(drafts, follow_up)
    if drafts and status == FollowUpStatus.CANCELLED:
        raise ValidationError(
            _("A cancelled follow-up cannot agree action items. Mark it as held.")
        )
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    locked.status = status
    locked.notes = notes.strip()
    fields = ["status", "notes", "updated_at"]
    if agenda is not None:
        locked.agenda = agenda.strip()
        fields.append("agenda")
    locked.save(update_fields=fields)
    follow_up.status, follow_up.notes, follow_up.agenda = (
        locked.status,
        locked.notes,
        locked.agenda,
    )
    return [
        follow_up.action_items.create(
            owner=draft.owner,
            created_by=coach,
            description=draft.description.strip(),
            due_date=draft.due_date,
            source=selectors.FOLLOW_UP_SOURCE,
        )
        for draft in drafts
    ]


def follow_up_reschedule(
    *,
    follow_up: FollowUp,
    coach: User,
    scheduled_at: dt.datetime,
    duration_minutes: int,
    location: str,
    agenda: str,
) -> FollowUp:
    _check_coach(coach, follow_up.cohort)
    follow_up.scheduled_at = scheduled_at
    follow_up.duration_minutes = duration_minutes
    follow_up.location = location.strip()
    follow_up.agenda = agenda.strip()
    follow_up.save(
        update_fields=[
            "scheduled_at",
            "duration_minutes",
            "location",
            "agenda",
            "updated_at",
        ]
    )
    return follow_up


def follow_up_reflect(*, follow_up: FollowUp, trainee: User, reflection: str) -> None:
    """The trainee's own words after the session: the only field they can change."""
    if follow_up.trainee_id != trainee.pk:
        raise PermissionDenied
    follow_up.reflection = reflection.strip()
    follow_up.save(update_fields=["reflection", "updated_at"])


@dataclass(frozen=True, slots=True)
class NextFollowUpDraft:
    scheduled_at: dt.datetime
    duration_minutes: int
    location: str
    agenda: str


def next_follow_up_draft(*, follow_up: FollowUp) -> NextFollowUpDraft:
    """What "book the next one" pre-fills: a week later, same place, and the action
    items still open carried into the agenda."""
    lines = [
        _("Carried over from %(date)s:")
        % {"date": date_format(timezone.localtime(follow_up.scheduled_at), "Y-m-d")}
    ]
    for item in selectors.open_items_to_carry(follow_up=follow_up):
        due = (
            _(" (due %(date)s)") % {"date": item.due_date.isoformat()}
            if item.due_date
            else ""
        )
        lines.append(f"- {item.description}{due}")
    agenda = "\n".join(lines) if len(lines) > 1 else ""
    return NextFollowUpDraft(
        scheduled_at=follow_up.scheduled_at + NEXT_FOLLOW_UP_AFTER,
        duration_minutes=follow_up.duration_minutes,
        location=follow_up.location,
        agenda=agenda,
    )


def action_item_set_status(*, item: Any, user: User, status: str) -> Any:
    """The owner moves their own item along (any source: follow-up, homework, review)."""
    if item.owner_id != user.pk:
        raise PermissionDenied
    if status not in dict(selectors.action_item_status_choices()):
        raise ValidationError(_("Unknown status."))
    item.status = status
    item.completed_at = timezone.now() if status == "done" else None
    item.save(update_fields=["status", "completed_at", "updated_at"])
    return item
