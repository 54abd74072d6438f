"""The weekly review (复盘) and its action items: services (writes) and selectors.

A review looks at one period: each off-track or at-risk KPI, with the driver that
attribution blames most, the trainee's cause, and action items. Action items stay
open — and are shown again in the next review — until someone marks them done.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

import kpi
from accounts.models import User
from workbook.evaluation import EvaluationError, evaluate_workbook
from workbook.models import (
    ActionItem,
    ActionItemSource,
    ActionItemStatus,
    ReviewFinding,
    ReviewStatus,
    WeeklyReview,
    Workbook,
)

REVIEWED_STATUSES = (kpi.Status.OFF_TRACK, kpi.Status.AT_RISK)
OPEN_STATUSES = (ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS)


def _check_owner(workbook: Workbook, user: User) -> None:
    if workbook.owner_id != user.pk:
        raise PermissionDenied


# ------------------------------------------------------------------ selectors
def reviews_of(workbook: Workbook) -> QuerySet[WeeklyReview]:
    return workbook.reviews.order_by("-period")


def review_for_workbook_or_404(*, workbook: Workbook, pk: int) -> WeeklyReview:
    review = WeeklyReview.objects.filter(pk=pk, workbook=workbook).first()
    if review is None:
        raise Http404
    return review


def review_detail(review: WeeklyReview) -> dict[str, object]:
    """Everything the review page shows, in three queries."""
    findings = list(review.findings.all())
    items = list(
        ActionItem.objects.filter(workbook_id=review.workbook_id)
        .filter(Q(review=review) | Q(status__in=OPEN_STATUSES))
        .select_related("owner", "review")
        .order_by("due_date", "id")
    )
    by_finding: dict[int, list[ActionItem]] = {f.pk: [] for f in findings}
    general: list[ActionItem] = []
    carried: list[ActionItem] = []
    for item in items:
        if item.review_id != review.pk:
            if item.review is None or item.review.period < review.period:
                carried.append(item)
            continue
        if item.finding_id in by_finding:
            by_finding[item.finding_id].append(item)
        else:
            general.append(item)
    return {
        "findings": [(f, by_finding[f.pk]) for f in findings],
        "general_items": general,
        "carried_items": carried,
    }


def open_action_items_for(user: User, *, limit: int = 8) -> list[ActionItem]:
    """The user's open action items, soonest due first (home page panel)."""
    return list(
        ActionItem.objects.filter(owner=user, status__in=OPEN_STATUSES)
        .select_related("workbook", "follow_up")
        .order_by("due_date", "id")[:limit]
    )


def open_action_items_of(workbook: Workbook) -> list[ActionItem]:
    return list(
        ActionItem.objects.filter(workbook=workbook, status__in=OPEN_STATUSES)
        .select_related("owner", "review")
        .order_by("due_date", "id")
    )


def action_item_for_workbook_or_404(*, workbook: Workbook, pk: int) -> ActionItem:
    item = ActionItem.objects.filter(pk=pk, workbook=workbook).first()
    if item is None:
        raise Http404
    return item


def assignable_people(workbook: Workbook) -> list[User]:
    """Who can own an action item: the trainee and colleagues in their organization."""
    if workbook.organization_id is None:
        return [workbook.owner]
    people = list(
        User.objects.filter(
            Q(pk=workbook.owner_id)
            | Q(memberships__organization_id=workbook.organization_id)
        )
        .filter(is_active=True)
        .distinct()
        .order_by("display_name", "email")
    )
    return sorted(people, key=lambda p: p.pk != workbook.owner_id)


# ------------------------------------------------------------------- services
@transaction.atomic
def review_start(*, workbook: Workbook, user: User, period_label: str) -> WeeklyReview:
    """Open (or return) the review of a period, listing its off-track and at-risk
    KPIs with the main driver from attribution against target."""
    _check_owner(workbook, user)
    try:
        evaluation = evaluate_workbook(
            workbook=workbook,
            period_label=period_label,
            versus="target",
            with_health=False,
        )
    except EvaluationError as err:
        raise ValidationError(
            _("This period cannot be reviewed: %(reason)s") % {"reason": err}
        ) from None
    review, created = WeeklyReview.objects.get_or_create(
        workbook=workbook,
        period=evaluation.period.label,
        defaults={"created_by": user},
    )
    if not created:
        return review
    position = 0
    for _depth, node in evaluation.ordered():
        if node.status not in REVIEWED_STATUSES:
            continue
        driver = evaluation.main_driver(node.key, "target")
        ReviewFinding.objects.create(
            review=review,
            node_key=node.key,
            status=node.status.value,
            actual=node.actual,
            target=node.target,
            driver_key=(driver.key or "") if driver else "",
            driver_effect=driver.value if driver else None,
            position=position,
        )
        position += 1
    return review


def finding_update(*, finding: ReviewFinding, user: User, cause: str) -> ReviewFinding:
    _check_owner(finding.review.workbook, user)
    finding.cause = cause.strip()
    finding.save(update_fields=["cause"])
    return finding


@transaction.atomic
def action_item_create(
    *,
    review: WeeklyReview,
    user: User,
    description: str,
    owner: User,
    due_date: date | None = None,
    finding: ReviewFinding | None = None,
) -> ActionItem:
    workbook = review.workbook
    _check_owner(workbook, user)
    if finding is not None and finding.review_id != review.pk:
        raise PermissionDenied
    if owner.pk not in {p.pk for p in assignable_people(workbook)}:
        raise ValidationError(
            _("An action item's owner must be you or a colleague in your organization.")
        )
    description = description.strip()
    if not description:
        raise ValidationError(_("Say what will be done."))
    return ActionItem.objects.create(
        owner=owner,
        created_by=user,
        workbook=workbook,
        review=review,
        finding=finding,
        description=description,
        due_date=due_date,
        source=ActionItemSource.WEEKLY_REVIEW,
    )


def action_item_set_status(*, item: ActionItem, user: User, status: str) -> ActionItem:
    """The workbook's owner or the item's owner may move it along."""
    if user.pk not in (item.owner_id, getattr(item.workbook, "owner_id", None)):
        raise PermissionDenied
    if status not in ActionItemStatus.values:
        raise ValidationError(_("Unknown status."))
    item.status = status
    item.completed_at = timezone.now() if status == ActionItemStatus.DONE else None
    item.save(update_fields=["status", "completed_at", "updated_at"])
    return item


def review_complete(*, review: WeeklyReview, user: User, summary: str) -> WeeklyReview:
    _check_owner(review.workbook, user)
    review.summary = summary.strip()
    review.status = ReviewStatus.DONE
    review.completed_at = timezone.now()
    review.save(update_fields=["summary", "status", "completed_at", "updated_at"])
    return review
