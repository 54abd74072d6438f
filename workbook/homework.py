"""Handing in a workbook as homework (coaching's "workbook snapshot" assignments).

Cohorts never import this app, so the hand-in lives here: the trainee picks one of
their workbooks, we freeze it with `snapshots.snapshot_create` and hang the snapshot
on the new submission version inside coaching's own transaction
(`submission_add_version(attach_snapshot=...)`). The coach's review page shows it
through the template `workbook/homework/snapshot_review.html`.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.models import User
from cohorts.coaching.homework import selectors as homework_selectors
from cohorts.coaching.homework import services as homework
from cohorts.coaching.models import Assignment, AssignmentKind, SubmissionVersion
from workbook import snapshots
from workbook.models import Snapshot, Workbook


def workbook_hand_in(
    *, assignment: Assignment, workbook: Workbook, user: User, note: str = ""
) -> SubmissionVersion:
    """Freeze ``workbook`` and hand the snapshot in as the next version (atomic)."""
    if workbook.owner_id != user.pk:
        raise Http404

    def attach(version: SubmissionVersion) -> None:
        snapshot = snapshots.snapshot_create(
            workbook=workbook,
            user=user,
            title=f"{assignment.title} · v{version.number}",
        )
        Snapshot.objects.filter(pk=snapshot.pk).update(submission_version=version)

    return homework.submission_add_version(
        assignment=assignment, trainee=user, note=note, attach_snapshot=attach
    )


class HandInForm(forms.Form):
    workbook = forms.ModelChoiceField(
        label=gettext_lazy("Workbook to hand in"),
        queryset=Workbook.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Note to the coach"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workbook"].queryset = Workbook.objects.filter(
            owner=user, archived_at__isnull=True
        ).order_by("name")


@require_http_methods(["GET", "POST"])
@login_required
def hand_in(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment, access = homework_selectors.assignment_for_user_or_404(
        user=request.user, pk=assignment_id
    )
    if not access.is_active_trainee or assignment.kind != AssignmentKind.WORKBOOK:
        raise Http404
    form = HandInForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            version = workbook_hand_in(
                assignment=assignment,
                workbook=form.cleaned_data["workbook"],
                user=request.user,
                note=form.cleaned_data["note"],
            )
        except homework.HomeworkError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _(
                    "Version %(number)s handed in: a frozen copy of your workbook. "
                    "Later edits do not change it."
                )
                % {"number": version.number},
            )
            return redirect("coaching:assignment", pk=assignment.pk)
    return render(
        request,
        "workbook/homework/hand_in.html",
        {
            "assignment": assignment,
            "form": form,
            "has_workbooks": bool(form.fields["workbook"].queryset.exists()),
        },
    )
