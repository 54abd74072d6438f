"""Reads for 1:1 follow-ups and the action items agreed in them.

Action items are `workbook.ActionItem`; cohorts never import workbook, so they are
reached through reverse relations (`user.action_items`, `follow_up.action_items`) and
the model class, when needed, through `action_item_model()`.

Who may see what: a follow-up is visible to its trainee, the coaches of its cohort and
staff; everyone else gets 404. A coach's page for a trainee is for the cohort's
coaches and staff only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from cohorts.coaching.models import FollowUp, FollowUpStatus
from cohorts.models import Cohort, Enrolment, EnrolmentStatus

if TYPE_CHECKING:
    from django.db.models import Model

# The workbook's ActionItemStatus values (not importable from cohorts/).
OPEN_STATUSES = ("open", "in_progress")
DONE_STATUSES = ("done", "dropped")
FOLLOW_UP_SOURCE = "follow_up"


def action_item_model() -> type[Model]:
    """`workbook.ActionItem`, found through the reverse relation instead of an import."""
    return FollowUp.action_items.rel.related_model  # type: ignore[attr-defined,no-any-return]


def action_item_status_choices() -> list[tuple[str, str]]:
    return list(action_item_model()._meta.get_field("status").choices)


# Access ---------------------------------------------------------------------------


def coached_cohorts(*, user: User) -> QuerySet[Cohort]:
    """The cohorts whose trainees `user` may follow up: the ones they coach (staff: all)."""
    if not user.is_authenticated:
        return Cohort.objects.none()
    cohorts = Cohort.objects.all() if user.is_staff else Cohort.objects.coached_by(user)
    return cohorts.select_related("course", "organization").order_by(
        "-starts_on", "name"
    )


def can_coach(*, user: User, cohort: Cohort) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_staff or cohort.coaches.filter(pk=user.pk).exists()


def cohort_for_coach_or_404(*, user: User, slug: str) -> Cohort:
    cohort = coached_cohorts(user=user).filter(slug=slug).first()
    if cohort is None:
        raise Http404
    return cohort


def trainee_of_cohort_or_404(*, cohort: Cohort, user_id: int) -> User:
    """A trainee with a seat (active or withdrawn after holding one) in the cohort."""
    trainee = (
        User.objects.filter(
            pk=user_id,
            enrolments__cohort=cohort,
            enrolments__status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.WITHDRAWN],
        )
        .distinct()
        .first()
    )
    if trainee is None:
        raise Http404
    return trainee


def active_trainees(*, cohort: Cohort) -> QuerySet[User]:
    return User.objects.filter(
        enrolments__cohort=cohort, enrolments__status=EnrolmentStatus.ACTIVE
    ).order_by("display_name", "email")


@dataclass(frozen=True, slots=True)
class FollowUpAccess:
    follow_up: FollowUp
    is_coach: bool  # a coach of the cohort, or staff: records notes and action items
    is_trainee: bool  # writes the reflection


def follow_up_for_viewer_or_404(*, user: User, pk: int) -> FollowUpAccess:
    if not user.is_authenticated:
        raise Http404
    follow_up = (
        FollowUp.objects.select_related(
            "cohort__course", "cohort__organization", "coach", "trainee", "previous"
        )
        .filter(pk=pk)
        .first()
    )
    if follow_up is None:
        raise Http404
    is_coach = can_coach(user=user, cohort=follow_up.cohort)
    is_trainee = follow_up.trainee_id == user.pk
    if not (is_coach or is_trainee):
        raise Http404
    return FollowUpAccess(follow_up=follow_up, is_coach=is_coach, is_trainee=is_trainee)


def action_item_of_owner_or_404(*, user: User, pk: int) -> Any:
    item = user.action_items.filter(pk=pk).first() if user.is_authenticated else None
    if item is None:
        raise Http404
    return item


# Lists --------------------------------------------------------------------------------


@dataclass(slots=True)
class FollowUpLists:
    upcoming: list[FollowUp] = field(default_factory=list)
    past: list[FollowUp] = field(default_factory=list)


def _split(follow_ups: list[FollowUp], now: dt.datetime) -> FollowUpLists:
    lists = FollowUpLists()
    for follow_up in follow_ups:
        upcoming = (
            follow_up.status == FollowUpStatus.SCHEDULED
            and follow_up.scheduled_at
            + dt.timedelta(minutes=follow_up.duration_minutes)
            >= now
        )
        (lists.upcoming if upcoming else lists.past).append(follow_up)
    lists.upcoming.sort(key=lambda f: f.scheduled_at)
    return lists


def follow_ups_of_trainee(*, user: User) -> FollowUpLists:
    """A trainee's follow-ups, soonest upcoming first, then the past newest first."""
    rows = list(
        FollowUp.objects.filter(trainee=user)
        .select_related("cohort", "coach")
        .annotate(item_count=Count("action_items"))
        .order_by("-scheduled_at")
    )
    return _split(rows, timezone.now())


def follow_ups_run_by(*, user: User, limit: int = 50) -> FollowUpLists:
    """The follow-ups a coach runs (or staff scheduled), upcoming and the latest past."""
    rows = list(
        FollowUp.objects.filter(coach=user)
        .select_related("cohort", "trainee")
        .annotate(item_count=Count("action_items"))
        .order_by("-scheduled_at")[:limit]
    )
    return _split(rows, timezone.now())


def next_follow_up_for_trainee(*, user: User) -> FollowUp | None:
    return (
        FollowUp.objects.filter(
            trainee=user,
            status=FollowUpStatus.SCHEDULED,
            scheduled_at__gte=timezone.now() - dt.timedelta(hours=1),
        )
        .select_related("cohort", "coach")
        .order_by("scheduled_at")
        .first()
    )


def follow_up_items(*, follow_up: FollowUp) -> list[Any]:
    return list(
        follow_up.action_items.select_related("owner").order_by("due_date", "id")
    )


def open_items_to_carry(*, follow_up: FollowUp) -> list[Any]:
    """What is still open from a follow-up: it goes into the next one's agenda."""
    return list(
        follow_up.action_items.filter(status__in=OPEN_STATUSES).order_by(
            "due_date", "id"
        )
    )


def owner_choices(*, follow_up: FollowUp) -> list[User]:
    """Who an agreed action can belong to: the trainee (first) or the coach."""
    people = [follow_up.trainee]
    if follow_up.coach_id != follow_up.trainee_id:
        people.append(follow_up.coach)
    return people


# Action items of a person ---------------------------------------------------------


@dataclass(slots=True)
class ActionItemGroups:
    """What did we agree, what is done, what is overdue."""

    overdue: list[Any] = field(default_factory=list)
    open: list[Any] = field(default_factory=list)
    done: list[Any] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.open) + len(self.done)


def action_items_grouped(
    *, user: User, today: dt.date | None = None
) -> ActionItemGroups:
    """All of a person's action items, whatever their source, in one query."""
    today = today or timezone.localdate()
    groups = ActionItemGroups()
    items = user.action_items.select_related(
        "follow_up", "submission__assignment", "workbook"
    ).order_by("due_date", "id")
    for item in items:
        if item.status in DONE_STATUSES:
            groups.done.append(item)
        elif item.due_date and item.due_date < today:
            groups.overdue.append(item)
        else:
            groups.open.append(item)
    groups.done.sort(key=lambda i: i.completed_at or i.updated_at, reverse=True)
    return groups


# The coach's view of their trainees -----------------------------------------------


@dataclass(frozen=True, slots=True)
class TraineeRow:
    user: User
    open_items: int
    overdue_items: int
    next_follow_up_at: dt.datetime | None
    last_follow_up_at: dt.datetime | None


@dataclass(slots=True)
class CohortTrainees:
    cohort: Cohort
    rows: list[TraineeRow] = field(default_factory=list)


def trainees_by_cohort(
    *, user: User, cohort: Cohort | None = None
) -> list[CohortTrainees]:
    """The coach's trainees per cohort with open / overdue counts and the next
    follow-up: two queries however many cohorts and trainees."""
    cohorts = list(coached_cohorts(user=user))
    if cohort is not None:
        cohorts = [c for c in cohorts if c.pk == cohort.pk]
    if not cohorts:
        return []
    now = timezone.now()
    today = timezone.localdate()
    follow_ups = FollowUp.objects.filter(
        cohort=OuterRef("cohort"), trainee=OuterRef("user")
    )
    enrolments = (
        Enrolment.objects.filter(cohort__in=cohorts, status=EnrolmentStatus.ACTIVE)
        .select_related("user")
        .annotate(
            open_items=Count(
                "user__action_items",
                filter=Q(user__action_items__status__in=OPEN_STATUSES),
                distinct=True,
            ),
            overdue_items=Count(
                "user__action_items",
                filter=Q(
                    user__action_items__status__in=OPEN_STATUSES,
                    user__action_items__due_date__lt=today,
                ),
                distinct=True,
            ),
            next_follow_up_at=Subquery(
                follow_ups.filter(
                    status=FollowUpStatus.SCHEDULED, scheduled_at__gte=now
                )
                .order_by("scheduled_at")
                .values("scheduled_at")[:1]
            ),
            last_follow_up_at=Subquery(
                follow_ups.filter(status=FollowUpStatus.DONE)
                .order_by("-scheduled_at")
                .values("scheduled_at")[:1]
            ),
        )
        .order_by("user__display_name", "user__email")
    )
    by_cohort = {c.pk: CohortTrainees(cohort=c) for c in cohorts}
    for enrolment in enrolments:
        by_cohort[enrolment.cohort_id].rows.append(
            TraineeRow(
                user=enrolment.user,
                open_items=enrolment.open_items,
                overdue_items=enrolment.overdue_items,
                next_follow_up_at=enrolment.next_follow_up_at,
                last_follow_up_at=enrolment.last_follow_up_at,
            )
        )
    return list(by_cohort.values())


@dataclass(frozen=True, slots=True)
class TraineePage:
    cohort: Cohort
    trainee: User
    items: ActionItemGroups
    follow_ups: list[FollowUp]


def trainee_page(*, cohort: Cohort, trainee: User) -> TraineePage:
    follow_ups = list(
        FollowUp.objects.filter(cohort=cohort, trainee=trainee)
        .select_related("coach")
        .annotate(item_count=Count("action_items"))
        .order_by("-scheduled_at")
    )
    return TraineePage(
        cohort=cohort,
        trainee=trainee,
        items=action_items_grouped(user=trainee),
        follow_ups=follow_ups,
    )
