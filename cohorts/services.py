"""Writes for cohorts: enrolment, waitlist, attendance, check-in, calendars, Q&A.

Every function checks the acting user's right on the object and raises
`CohortError` with a message for the user (already translated lazily) when it
refuses; nothing is written in that case.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, User
from cohorts.models import (
    Answer,
    Attendance,
    AttendanceMethod,
    AttendanceStatus,
    BulkEnrolment,
    BulkEnrolmentStatus,
    CalendarFeed,
    Cohort,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    Question,
    Session,
    new_feed_key,
)
from cohorts.rosters import RosterError, read_roster
from cohorts.selectors import cohort_access

CHECKIN_SALT = "cohorts.checkin"
CHECKIN_MAX_AGE = 90  # seconds a shown code stays valid; the screen renews it every 30


class CohortError(Exception):
    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


# Enrolment -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EnrolmentOutcome:
    enrolment: Enrolment
    created: bool  # a new seat or waitlist place (False: nothing changed)


def _locked(cohort: Cohort) -> Cohort:
    return Cohort.objects.select_for_update().get(pk=cohort.pk)


def _seats_taken(cohort: Cohort) -> int:
    return Enrolment.objects.filter(
        cohort=cohort, status=EnrolmentStatus.ACTIVE
    ).count()


def _has_seat(cohort: Cohort) -> bool:
    if cohort.capacity is None:
        return True
    return _seats_taken(cohort) < cohort.capacity


def _enrol(*, cohort: Cohort, user: User, source: str) -> EnrolmentOutcome:
    """Give `user` a seat or a waitlist place; the cohort row must be locked."""
    enrolment = Enrolment.objects.filter(cohort=cohort, user=user).first()
    if enrolment and enrolment.status != EnrolmentStatus.WITHDRAWN:
        return EnrolmentOutcome(enrolment, created=False)
    status = EnrolmentStatus.ACTIVE if _has_seat(cohort) else EnrolmentStatus.WAITLISTED
    if enrolment is None:
        enrolment = Enrolment(cohort=cohort, user=user)
    enrolment.status = status
    enrolment.source = source
    enrolment.status_changed_at = timezone.now()
    enrolment.save()
    return EnrolmentOutcome(enrolment, created=True)


class CohortFull(Exception):
    """No seat is left; the caller words the message for its own page."""

    def __init__(self, *, taken: int, capacity: int) -> None:
        super().__init__(f"{taken} of {capacity} seats taken")
        self.taken = taken
        self.capacity = capacity


def enrolment_admit(*, cohort: Cohort, user: User, source: str) -> EnrolmentOutcome:
    """An active seat for `user` or `CohortFull`: never a waitlist place, never oversold.

    For admissions, where a reviewer's approval promises a seat. The cohort row is
    locked while the seats are counted, so two approvals at once cannot both take the
    last seat; someone waitlisted or withdrawn is seated, someone seated is unchanged.
    """
    with transaction.atomic():
        locked = _locked(cohort)
        enrolment = Enrolment.objects.filter(cohort=locked, user=user).first()
        if enrolment and enrolment.status == EnrolmentStatus.ACTIVE:
            return EnrolmentOutcome(enrolment, created=False)
        if locked.capacity is not None:
            taken = _seats_taken(locked)
            if taken >= locked.capacity:
                raise CohortFull(taken=taken, capacity=locked.capacity)
        if enrolment is None:
            enrolment = Enrolment(cohort=locked, user=user)
        enrolment.status = EnrolmentStatus.ACTIVE
        enrolment.source = source
        enrolment.status_changed_at = timezone.now()
        enrolment.save()
        return EnrolmentOutcome(enrolment, created=True)


def cohort_for_join_code(*, code: str, user: User) -> Cohort:
    cleaned = "".join(code.split()).upper()
    cohort = Cohort.objects.filter(join_code=cleaned).first() if cleaned else None
    if (
        cohort is not None
        and cohort.is_in_house
        and not user.is_staff
        and not Membership.objects.filter(
            user=user, organization_id=cohort.organization_id
        ).exists()
    ):
        cohort = None  # another organisation's code reads as a wrong one
    if cohort is None:
        raise CohortError(
            _("That join code is not right. Check it with your coach or HR.")
        )
    today = timezone.localdate()
    if (cohort.join_code_expires_on and cohort.join_code_expires_on < today) or (
        cohort.ends_on and cohort.ends_on < today
    ):
        raise CohortError(
            _("That join code has expired. Ask your coach or HR for a new one.")
        )
    return cohort


def enrolment_join_with_code(*, user: User, code: str) -> EnrolmentOutcome:
    with transaction.atomic():
        cohort = _locked(cohort_for_join_code(code=code, user=user))
        return _enrol(cohort=cohort, user=user, source=EnrolmentSource.JOIN_CODE)


def enrolment_withdraw(*, enrolment: Enrolment, user: User) -> Enrolment | None:
    """Withdraw; a freed seat goes to the first person on the waitlist (returned)."""
    if enrolment.user_id != user.pk and not user.is_staff:
        raise CohortError(_("You can only withdraw your own enrolment."))
    with transaction.atomic():
        cohort = _locked(enrolment.cohort)
        enrolment.refresh_from_db()
        if enrolment.status == EnrolmentStatus.WITHDRAWN:
            return None
        freed = enrolment.status == EnrolmentStatus.ACTIVE
        enrolment.status = EnrolmentStatus.WITHDRAWN
        enrolment.status_changed_at = timezone.now()
        enrolment.save(update_fields=["status", "status_changed_at"])
        return _promote_waitlist(cohort) if freed else None


def _promote_waitlist(cohort: Cohort) -> Enrolment | None:
    if not _has_seat(cohort):
        return None
    first = (
        Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.WAITLISTED)
        .order_by("status_changed_at", "pk")
        .first()
    )
    if first is None:
        return None
    first.status = EnrolmentStatus.ACTIVE
    first.status_changed_at = timezone.now()
    first.save(update_fields=["status", "status_changed_at"])
    transaction.on_commit(lambda: _notify_promoted(first.pk))
    return first


def _notify_promoted(enrolment_id: int) -> None:
    from django_q.tasks import async_task

    async_task("cohorts.tasks.send_promotion_email", enrolment_id)


# Attendance ------------------------------------------------------------------


def attendance_record(
    *, session: Session, trainee: User, status: str, coach: User
) -> Attendance | None:
    """A coach marks one trainee; an empty status clears the mark."""
    access = cohort_access(cohort=session.cohort, user=coach)
    if not access.can_teach:
        raise CohortError(_("Only the cohort's coaches take attendance."))
    if not Enrolment.objects.filter(
        cohort_id=session.cohort_id, user=trainee, status=EnrolmentStatus.ACTIVE
    ).exists():
        raise CohortError(_("This person is not enrolled in the cohort."))
    if not status:
        Attendance.objects.filter(session=session, user=trainee).delete()
        return None
    if status not in AttendanceStatus.values:
        raise CohortError(_("Choose present, late, excused or absent."))
    attendance, _created = Attendance.objects.update_or_create(
        session=session,
        user=trainee,
        defaults={
            "status": status,
            "method": AttendanceMethod.COACH,
            "recorded_by": coach,
            "recorded_at": timezone.now(),
        },
    )
    return attendance


def checkin_code(*, session: Session) -> str:
    """A fresh signed code for the coach's screen, bound to the session."""
    return signing.TimestampSigner(salt=CHECKIN_SALT).sign(str(session.pk))


@dataclass(frozen=True, slots=True)
class CheckIn:
    attendance: Attendance
    already: bool


def attendance_check_in(*, session: Session, user: User, code: str) -> CheckIn:
    """A trainee scanned the code; replaying it for the same person changes nothing."""
    signer = signing.TimestampSigner(salt=CHECKIN_SALT)
    try:
        session_pk = signer.unsign(code, max_age=CHECKIN_MAX_AGE)
    except signing.SignatureExpired:
        raise CohortError(
            _("This check-in code has expired. Scan the code on the screen again.")
        ) from None
    except signing.BadSignature:
        raise CohortError(
            _("This check-in code is not valid. Scan the code on the screen again.")
        ) from None
    if session_pk != str(session.pk):
        raise CohortError(
            _("This check-in code is for another session. Scan the code on the screen.")
        )
    if not Enrolment.objects.filter(
        cohort_id=session.cohort_id, user=user, status=EnrolmentStatus.ACTIVE
    ).exists():
        raise CohortError(
            _("You are not enrolled in this cohort, so you cannot check in.")
        )
    try:
        with transaction.atomic():
            attendance, created = Attendance.objects.get_or_create(
                session=session,
                user=user,
                defaults={
                    "status": AttendanceStatus.PRESENT,
                    "method": AttendanceMethod.QR,
                    "recorded_by": user,
                },
            )
    except IntegrityError:  # two scans at once
        attendance, created = Attendance.objects.get(session=session, user=user), False
    return CheckIn(attendance=attendance, already=not created)


# Calendar --------------------------------------------------------------------


def calendar_feed_for(*, user: User) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_revoke(*, user: User) -> CalendarFeed:
    """Replace the key: every address handed out before stops working."""
    feed = calendar_feed_for(user=user)
    feed.key = new_feed_key()
    feed.created_at = timezone.now()
    feed.save(update_fields=["key", "created_at"])
    return feed


# Q&A -------------------------------------------------------------------------


def question_ask(*, cohort: Cohort, user: User, title: str, body: str) -> Question:
    if not cohort_access(cohort=cohort, user=user).is_in_cohort:
        raise CohortError(_("Only the cohort's trainees and coaches can ask here."))
    return Question.objects.create(
        cohort=cohort, author=user, title=title.strip(), body=body.strip()
    )


def answer_post(*, question: Question, user: User, body: str) -> Answer:
    if not cohort_access(cohort=question.cohort, user=user).is_in_cohort:
        raise CohortError(_("Only the cohort's trainees and coaches can answer here."))
    answer = Answer.objects.create(question=question, author=user, body=body.strip())
    transaction.on_commit(lambda: _notify_answer(answer.pk))
    return answer


def _notify_answer(answer_id: int) -> None:
    from django_q.tasks import async_task

    async_task("cohorts.tasks.send_answer_notifications", answer_id)


def answer_accept(*, answer: Answer, user: User) -> Question:
    question = answer.question
    if not cohort_access(cohort=question.cohort, user=user).can_teach:
        raise CohortError(_("Only the cohort's coaches can accept an answer."))
    question.accepted_answer = (
        None if question.accepted_answer_id == answer.pk else answer
    )
    question.save(update_fields=["accepted_answer"])
    return question


# Bulk enrolment --------------------------------------------------------------


def _require_roster_manager(*, cohort: Cohort, user: User) -> None:
    if not cohort_access(cohort=cohort, user=user).can_manage_roster:
        raise CohortError(_("Only the organization's admins can enrol people here."))


def bulk_enrolment_preview(
    *, cohort: Cohort, admin: User, uploaded: UploadedFile
) -> BulkEnrolment:
    """Check every row and keep the file; nobody is enrolled until confirmed."""
    _require_roster_manager(cohort=cohort, user=admin)
    raw = uploaded.read()
    try:
        rows = read_roster(raw, uploaded.name or "")
    except RosterError as error:
        raise CohortError(roster_error_message(error)) from None
    existing_users = {
        u.email.lower(): u
        for u in User.objects.filter(email__in=[r.email for r in rows if r.email])
    }
    enrolled = {
        e.user_id: e.status
        for e in Enrolment.objects.filter(
            cohort=cohort, user__in=list(existing_users.values())
        )
    }
    for row in rows:
        if row.outcome != "ok":
            continue
        user = existing_users.get(row.email)
        if user is None:
            row.outcome = "new_user"
        elif enrolled.get(user.pk) in (
            EnrolmentStatus.ACTIVE,
            EnrolmentStatus.WAITLISTED,
        ):
            row.outcome = "already_enrolled"
        else:
            row.outcome = "existing_user"
    bulk = BulkEnrolment(
        cohort=cohort,
        uploaded_by=admin,
        original_name=(uploaded.name or "roster")[:255],
        rows=[r.as_dict() for r in rows],
    )
    bulk.file.save(uploaded.name or "roster", ContentFile(raw), save=False)
    bulk.save()
    return bulk


ENROLLABLE = {"new_user", "existing_user"}


def bulk_enrolment_confirm(*, bulk: BulkEnrolment, admin: User) -> BulkEnrolment:
    """Enrol the good rows; re-running never duplicates a user or an enrolment."""
    _require_roster_manager(cohort=bulk.cohort, user=admin)
    invited: list[int] = []
    with transaction.atomic():
        bulk = BulkEnrolment.objects.select_for_update().get(pk=bulk.pk)
        if bulk.status == BulkEnrolmentStatus.CONFIRMED:
            return bulk
        cohort = _locked(bulk.cohort)
        rows = []
        for row in bulk.rows:
            if row["outcome"] in ENROLLABLE:
                user = User.objects.filter(email__iexact=row["email"]).first()
                created_user = user is None
                if user is None:
                    user = User.objects.create_user(
                        email=row["email"], password=None, display_name=row["name"]
                    )
                    invited.append(user.pk)
                if cohort.organization_id:
                    Membership.objects.get_or_create(
                        user=user, organization_id=cohort.organization_id
                    )
                outcome = _enrol(cohort=cohort, user=user, source=EnrolmentSource.BULK)
                status = outcome.enrolment.status
                if not outcome.created:
                    row = {**row, "result": "already_enrolled"}
                elif status == EnrolmentStatus.WAITLISTED:
                    row = {**row, "result": "waitlisted"}
                else:
                    row = {**row, "result": "invited" if created_user else "enrolled"}
            rows.append(row)
        bulk.rows = rows
        bulk.status = BulkEnrolmentStatus.CONFIRMED
        bulk.confirmed_at = timezone.now()
        bulk.save(update_fields=["rows", "status", "confirmed_at"])
        cohort_pk = cohort.pk
        transaction.on_commit(lambda: _send_invitations(invited, cohort_pk))
    return bulk


def _send_invitations(user_ids: list[int], cohort_id: int) -> None:
    from django_q.tasks import async_task

    for user_id in user_ids:
        async_task("cohorts.tasks.send_invitation_email", user_id, cohort_id)


def roster_error_message(error: RosterError) -> str | Promise:
    messages: dict[str, str | Promise] = {
        "encoding": _(
            "We could not read the file's text. Save it as UTF-8 or GB18030 CSV, "
            "or as an Excel .xlsx file."
        ),
        "unreadable": _("The file could not be read as a spreadsheet."),
        "file_type": _("Upload a .csv or .xlsx file."),
        "empty": _("The file has no rows of people."),
    }
    if error.code == "missing_columns":
        return (
            _(
                "The file needs a name column and an email column (missing: %(missing)s; "
                "found: %(found)s)."
            )
            % error.params
        )
    if error.code == "too_many_rows":
        return _("The file has more than %(limit)s rows; split it.") % error.params
    return messages.get(error.code, messages["unreadable"])
