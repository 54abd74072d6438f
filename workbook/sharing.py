"""Sharing a workbook read-only with the owner's coaches and their org's champion."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from workbook.models import Workbook, WorkbookShare
from workbook.selectors_build import share_candidates


def workbook_share(
    *, workbook: Workbook, user: User, with_user_id: int
) -> WorkbookShare:
    """Share with one of `share_candidates`: nobody else can be chosen."""
    if workbook.owner_id != user.pk:
        raise PermissionDenied
    candidate = next(
        (
            c
            for c in share_candidates(workbook)
            if c.user.pk == with_user_id and c.reason
        ),
        None,
    )
    if candidate is None:
        raise ValidationError(
            _(
                "A workbook can be shared only with your cohort's coaches and your organization's champion."
            )
        )
    share, _created = WorkbookShare.objects.get_or_create(
        workbook=workbook, user=candidate.user, defaults={"role": candidate.role}
    )
    return share


def workbook_unshare(*, workbook: Workbook, user: User, with_user_id: int) -> int:
    if workbook.owner_id != user.pk:
        raise PermissionDenied
    deleted, _rows = WorkbookShare.objects.filter(
        workbook=workbook, user_id=with_user_id
    ).delete()
    return deleted
