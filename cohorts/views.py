"""Cohort pages. Each view checks the viewer on the cohort; outsiders get 404."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from accounts.models import User
from cohorts import selectors, services
from cohorts.calendars import sessions_calendar
from cohorts.forms import (
    AnswerForm,
    AttendanceForm,
    JoinForm,
    QuestionForm,
    RosterUploadForm,
)
from cohorts.models import (
    Answer,
    BulkEnrolment,
    Enrolment,
    EnrolmentStatus,
    Session,
)
from cohorts.rosters import RosterRow

CHECKIN_REFRESH_SECONDS = 30


def _fragment(request: HttpRequest, template: str, fragment: str) -> str:
    return f"{template}#{fragment}" if getattr(request, "htmx", False) else template


# Lists, join, withdraw -------------------------------------------------------


@require_GET
@login_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    cards = selectors.cohorts_for_user(user=request.user)
    return render(request, "cohorts/cohort_list.html", {"cards": cards})


@require_GET
def cohort_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Our own address for a cohort; the schedule page itself is Wagtail's."""
    cohort = selectors.cohort_for_user_or_404(user=request.user, slug=slug)
    if cohort.course.url:
        return HttpResponseRedirect(cohort.get_absolute_url())
    return render(
        request,
        "cohorts/cohort_schedule_page.html",
        {"page": cohort.course, "cohort": cohort},
    )


@require_http_methods(["GET", "POST"])
@login_required
def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.enrolment_join_with_code(
                user=request.user, code=form.cleaned_data["code"]
            )
        except services.CohortError as error:
            form.add_error("code", error.message)
        else:
            enrolment = outcome.enrolment
            name = enrolment.cohort.name
            if enrolment.status == EnrolmentStatus.WAITLISTED:
                messages.warning(
                    request,
                    _(
                        "%(cohort)s is full, so you are on its waitlist. You will get "
                        "a seat, and an email, when one frees up."
                    )
                    % {"cohort": name},
                )
            elif outcome.created:
                messages.success(
                    request, _("You are enrolled in %(cohort)s.") % {"cohort": name}
                )
            else:
                messages.info(
                    request,
                    _("You are already enrolled in %(cohort)s.") % {"cohort": name},
                )
            return redirect("cohorts:detail", slug=enrolment.cohort.slug)
    return render(request, "cohorts/join.html", {"form": form})


@require_POST
@login_required
def withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = selectors.cohort_for_user_or_404(user=request.user, slug=slug)
    enrolment = get_object_or_404(Enrolment, cohort=cohort, user=request.user)
    services.enrolment_withdraw(enrolment=enrolment, user=request.user)
    messages.info(
        request, _("You have withdrawn from %(cohort)s.") % {"cohort": cohort.name}
    )
    return redirect("cohorts:list")


# Sessions and calendars ------------------------------------------------------


@require_GET
def session_detail(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session, access = _viewable_session(request, slug, session_id)
    mine = (
        session.attendance.filter(user=request.user).first()
        if request.user.is_authenticated
        else None
    )
    return render(
        request,
        "cohorts/session_detail.html",
        {
            "session": session,
            "cohort": session.cohort,
            "access": access,
            "my_attendance": mine,
        },
    )


def _viewable_session(
    request: HttpRequest, slug: str, session_id: int
) -> tuple[Session, selectors.CohortAccess]:
    """A session of a cohort the viewer may see; a 1:1 only for its two people."""
    session = selectors.session_for_user_or_404(
        user=request.user, slug=slug, session_id=session_id
    )
    access = selectors.cohort_access(cohort=session.cohort, user=request.user)
    if session.trainee_id and not (
        access.can_teach or session.trainee_id == request.user.pk
    ):
        raise Http404
    return session, access


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def _calendar_args(request: HttpRequest) -> dict[str, str]:
    return {
        "base_url": request.build_absolute_uri("/")[:-1],
        "domain": request.get_host(),
    }


@require_GET
def session_ics(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session, access = _viewable_session(request, slug, session_id)
    body = sessions_calendar(
        [session],
        name=session.cohort.name,
        with_links=access.is_in_cohort,
        **_calendar_args(request),
    )
    return _ics_response(body, f"{session.cohort.slug}-{session.pk}.ics")


@require_GET
@login_required
def calendar_settings(request: HttpRequest) -> HttpResponse:
    feed = services.calendar_feed_for(user=request.user)
    cards = selectors.cohorts_for_user(user=request.user)
    return render(
        request, "cohorts/calendar_settings.html", {"feed": feed, "cards": cards}
    )


@require_POST
@login_required
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_revoke(user=request.user)
    messages.success(
        request,
        _(
            "Your calendar address has changed. Old subscriptions stop updating; "
            "subscribe again with the new address."
        ),
    )
    return redirect("cohorts:calendar")


@require_GET
def feed_user(request: HttpRequest, key: str) -> HttpResponse:
    feed = selectors.calendar_feed_by_key(key=key)
    sessions = selectors.sessions_for_feed(user=feed.user)
    body = sessions_calendar(
        sessions, name=_("Lodestar sessions"), **_calendar_args(request)
    )
    return _ics_response(body, "lodestar.ics")


@require_GET
def feed_cohort(request: HttpRequest, key: str, slug: str) -> HttpResponse:
    feed = selectors.calendar_feed_by_key(key=key)
    cohort = selectors.cohort_for_user_or_404(user=feed.user, slug=slug)
    access = selectors.cohort_access(cohort=cohort, user=feed.user)
    if not (access.is_active_trainee or access.can_teach):
        raise Http404
    sessions = selectors.sessions_for_feed(user=feed.user, cohort=cohort)
    body = sessions_calendar(sessions, name=cohort.name, **_calendar_args(request))
    return _ics_response(body, f"{cohort.slug}.ics")


# Attendance -------------------------------------------------------------------


def _coach_session(request: HttpRequest, slug: str, session_id: int):  # type: ignore[no-untyped-def]
    cohort, _access = selectors.cohort_for_coach_or_404(user=request.user, slug=slug)
    return selectors.session_for_user_or_404(
        user=request.user, slug=cohort.slug, session_id=session_id
    )


@require_GET
@login_required
def attendance_take(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = _coach_session(request, slug, session_id)
    roster = selectors.session_roster(session=session)
    return render(
        request,
        "cohorts/attendance_take.html",
        {"session": session, "cohort": session.cohort, "roster": roster},
    )


@require_POST
@login_required
def attendance_mark(
    request: HttpRequest, slug: str, session_id: int, user_id: int
) -> HttpResponse:
    session = _coach_session(request, slug, session_id)
    trainee = get_object_or_404(User, pk=user_id)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        attendance = services.attendance_record(
            session=session,
            trainee=trainee,
            status=form.cleaned_data["status"],
            coach=request.user,
        )
    except services.CohortError:
        raise Http404 from None
    if request.htmx:  # type: ignore[attr-defined]
        row = selectors.RosterRow(user=trainee, attendance=attendance)
        return render(
            request,
            "cohorts/attendance_take.html#roster_row",
            {"session": session, "cohort": session.cohort, "row": row},
        )
    messages.success(request, _("Attendance saved."))
    return redirect("cohorts:attendance_take", slug=slug, session_id=session.pk)


@require_GET
@login_required
def checkin_screen(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = _coach_session(request, slug, session_id)
    template = _fragment(request, "cohorts/checkin_screen.html", "code")
    code = services.checkin_code(session=session)
    url = request.build_absolute_uri(
        reverse("cohorts:checkin", args=[session.pk, code])
    )
    svg = segno.make(url, error="m").svg_inline(
        scale=8, border=2, dark="#102a43", omitsize=True
    )
    checked_in = session.attendance.filter(method="qr").count()
    return render(
        request,
        template,
        {
            "session": session,
            "cohort": session.cohort,
            "qr_svg": svg,
            "checkin_url": url,
            "refresh": CHECKIN_REFRESH_SECONDS,
            "checked_in": checked_in,
        },
    )


@require_GET
@login_required
def checkin(request: HttpRequest, session_id: int, code: str) -> HttpResponse:
    """The address in the QR code: a signed-in trainee lands checked in.

    A GET that writes, like an email confirmation link: the code is signed, bound
    to the session, short-lived, and repeating it changes nothing.
    """
    session = (
        Session.objects.select_related("cohort__course").filter(pk=session_id).first()
    )
    error = None
    result = None
    if session is None:
        error = _(
            "This check-in code is for another session. Scan the code on the screen."
        )
    else:
        try:
            result = services.attendance_check_in(
                session=session, user=request.user, code=code
            )
        except services.CohortError as failure:
            error = failure.message
    status = 200 if error is None else 400
    return render(
        request,
        "cohorts/checkin_result.html",
        {"session": session, "result": result, "error": error},
        status=status,
    )


@require_GET
@login_required
def attendance_report(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = selectors.cohort_for_user_or_404(user=request.user, slug=slug)
    access = selectors.cohort_access(cohort=cohort, user=request.user)
    if not access.can_see_roster:
        raise Http404
    report = selectors.attendance_report(cohort=cohort)
    return render(
        request,
        "cohorts/attendance_report.html",
        {"cohort": cohort, "report": report, "access": access},
    )


@require_GET
@login_required
def roster(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = selectors.cohort_for_user_or_404(user=request.user, slug=slug)
    access = selectors.cohort_access(cohort=cohort, user=request.user)
    if not access.can_see_roster:
        raise Http404
    return render(
        request,
        "cohorts/roster.html",
        {
            "cohort": cohort,
            "access": access,
            "roster": selectors.cohort_roster(cohort=cohort),
        },
    )


# Bulk enrolment -----------------------------------------------------------------


def _roster_manager_cohort(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    cohort = selectors.cohort_for_user_or_404(user=request.user, slug=slug)
    if not selectors.cohort_access(cohort=cohort, user=request.user).can_manage_roster:
        raise Http404
    return cohort


@require_http_methods(["GET", "POST"])
@login_required
def bulk_upload(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _roster_manager_cohort(request, slug)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            bulk = services.bulk_enrolment_preview(
                cohort=cohort, admin=request.user, uploaded=form.cleaned_data["file"]
            )
        except services.CohortError as error:
            form.add_error("file", error.message)
        else:
            return redirect("cohorts:bulk_preview", slug=slug, bulk_id=bulk.pk)
    recent = cohort.bulk_enrolments.select_related("uploaded_by")[:10]
    return render(
        request,
        "cohorts/bulk_upload.html",
        {"cohort": cohort, "form": form, "recent": recent},
    )


@require_GET
@login_required
def bulk_preview(request: HttpRequest, slug: str, bulk_id: int) -> HttpResponse:
    cohort = _roster_manager_cohort(request, slug)
    bulk = get_object_or_404(BulkEnrolment, cohort=cohort, pk=bulk_id)
    rows = [
        RosterRow(**{k: r[k] for k in ("line", "name", "email", "outcome", "params")})
        for r in bulk.rows
    ]
    results = [r.get("result") for r in bulk.rows]
    enrollable = sum(1 for r in bulk.rows if r["outcome"] in services.ENROLLABLE)
    return render(
        request,
        "cohorts/bulk_preview.html",
        {
            "cohort": cohort,
            "bulk": bulk,
            "rows": list(zip(rows, results, strict=True)),
            "enrollable": enrollable,
            "problems": sum(
                1
                for r in rows
                if r.outcome not in services.ENROLLABLE
                and r.outcome != "already_enrolled"
            ),
        },
    )


@require_POST
@login_required
def bulk_confirm(request: HttpRequest, slug: str, bulk_id: int) -> HttpResponse:
    cohort = _roster_manager_cohort(request, slug)
    bulk = get_object_or_404(BulkEnrolment, cohort=cohort, pk=bulk_id)
    bulk = services.bulk_enrolment_confirm(bulk=bulk, admin=request.user)
    done = sum(1 for r in bulk.rows if r.get("result") in ("enrolled", "invited"))
    messages.success(
        request, _("%(count)s people enrolled. See each row below.") % {"count": done}
    )
    return redirect("cohorts:bulk_preview", slug=slug, bulk_id=bulk.pk)


# Q&A -----------------------------------------------------------------------------


def _discussion_cohort(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    cohort = selectors.cohort_for_user_or_404(user=request.user, slug=slug)
    access = selectors.cohort_access(cohort=cohort, user=request.user)
    if not access.is_in_cohort:
        raise Http404
    return cohort, access


@require_http_methods(["GET", "POST"])
@login_required
def questions(request: HttpRequest, slug: str) -> HttpResponse:
    cohort, access = _discussion_cohort(request, slug)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        question = services.question_ask(
            cohort=cohort,
            user=request.user,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
        )
        return redirect("cohorts:question", slug=slug, question_id=question.pk)
    return render(
        request,
        "cohorts/questions.html",
        {
            "cohort": cohort,
            "access": access,
            "form": form,
            "questions": selectors.questions_for_cohort(cohort=cohort),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def question(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    cohort, access = _discussion_cohort(request, slug)
    question = selectors.question_for_user_or_404(
        cohort=cohort, question_id=question_id
    )
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answer = services.answer_post(
            question=question, user=request.user, body=form.cleaned_data["body"]
        )
        return HttpResponseRedirect(
            reverse("cohorts:question", args=[slug, question.pk])
            + f"#answer-{answer.pk}"
        )
    return render(
        request,
        "cohorts/question.html",
        {"cohort": cohort, "access": access, "question": question, "form": form},
    )


@require_POST
@login_required
def answer_accept(
    request: HttpRequest, slug: str, question_id: int, answer_id: int
) -> HttpResponse:
    cohort, access = _discussion_cohort(request, slug)
    answer = get_object_or_404(
        Answer.objects.select_related("question__cohort"),
        pk=answer_id,
        question_id=question_id,
        question__cohort=cohort,
    )
    if not access.can_teach:
        raise Http404
    services.answer_accept(answer=answer, user=request.user)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRefresh()
    return redirect("cohorts:question", slug=slug, question_id=question_id)
