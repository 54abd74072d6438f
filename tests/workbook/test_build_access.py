from __future__ import annotations

import pytest
from django.http import Http404

from tests.factories.accounts import UserFactory
from tests.factories.workbook import WorkbookFactory
from workbook.access import workbook_for_editor_or_404, workbook_for_viewer_or_404
from workbook.models import ShareRole, WorkbookShare

pytestmark = pytest.mark.django_db


def test_owner_edits() -> None:
    workbook = WorkbookFactory()
    assert workbook_for_viewer_or_404(user=workbook.owner, pk=workbook.pk) == (
        workbook,
        True,
    )
    assert workbook_for_editor_or_404(user=workbook.owner, pk=workbook.pk) == workbook


def test_shared_user_reads_only() -> None:
    workbook = WorkbookFactory()
    coach = UserFactory()
    WorkbookShare.objects.create(workbook=workbook, user=coach, role=ShareRole.COACH)
    assert workbook_for_viewer_or_404(user=coach, pk=workbook.pk) == (workbook, False)
    with pytest.raises(Http404):
        workbook_for_editor_or_404(user=coach, pk=workbook.pk)


def test_stranger_gets_404() -> None:
    workbook = WorkbookFactory()
    with pytest.raises(Http404):
        workbook_for_viewer_or_404(user=UserFactory(), pk=workbook.pk)
