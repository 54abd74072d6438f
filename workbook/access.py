"""Who may see a workbook: its owner edits; users it is shared with read; others 404.

Every workbook page (build and insight) takes its workbook from
`workbook_for_viewer_or_404` (reads) or `workbook_for_editor_or_404` (writes).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from accounts.models import User
from workbook.models import Workbook, WorkbookShare


@dataclass(frozen=True, slots=True)
class WorkbookAccess:
    workbook: Workbook
    can_edit: bool
    share_role: str = ""  # "coach" / "champion" for a shared viewer


def workbook_access_or_404(*, user: User, pk: int) -> WorkbookAccess:
    """The workbook and what `user` may do with it, in one query."""
    if not user.is_authenticated:
        raise Http404
    workbook = (
        Workbook.objects.filter(pk=pk, archived_at__isnull=True)
        .select_related("organization", "owner")
        .first()
    )
    if workbook is None:
        raise Http404
    if workbook.owner_id == user.pk:
        return WorkbookAccess(workbook=workbook, can_edit=True)
    role = (
        WorkbookShare.objects.filter(workbook=workbook, user=user)
        .values_list("role", flat=True)
        .first()
    )
    if role is None:
        raise Http404
    return WorkbookAccess(workbook=workbook, can_edit=False, share_role=role)


def workbook_for_viewer_or_404(*, user: User, pk: int) -> tuple[Workbook, bool]:
    """(workbook, can_edit) for the owner or a user it is shared with; else 404."""
    access = workbook_access_or_404(user=user, pk=pk)
    return access.workbook, access.can_edit


def workbook_for_editor_or_404(*, user: User, pk: int) -> Workbook:
    """The workbook if `user` may change it (its owner). Shared viewers get 404 too:
    a write they may not make is a page that does not exist for them."""
    access = workbook_access_or_404(user=user, pk=pk)
    if not access.can_edit:
        raise Http404
    return access.workbook


def workbook_can_edit(*, user: User, workbook: Workbook) -> bool:
    return user.is_authenticated and workbook.owner_id == user.pk
