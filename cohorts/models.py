"""Cohorts: a run of a course, its sessions, enrolments, attendance and Q&A.

A session's start and end are stored as instants (UTC in the database); the cohort's
`time_zone` is the zone they were planned in — the admin form reads and writes the
wall-clock times in it, and calendar feeds carry it as the event's TZID — while pages
show them in the viewer's own zone.
"""

from __future__ import annotations

import secrets
import zoneinfo
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

from accounts.models import validate_time_zone

if TYPE_CHECKING:
    from accounts.models import User


def new_join_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


def new_feed_key() -> str:
    return secrets.token_urlsafe(24)


class CohortFormat(models.TextChoices):
    PUBLIC = "public", _("Public class")
    SMALL = "small", _("Small cohort")
    IN_HOUSE = "in_house", _("In-house training")


class CohortQuerySet(models.QuerySet["Cohort"]):
    def visible_to(self, user: User | None) -> CohortQuerySet:
        """Public and small cohorts to everyone; in-house ones to their people only."""
        open_formats = Q(format__in=[CohortFormat.PUBLIC, CohortFormat.SMALL])
        if user is None or not user.is_authenticated:
            return self.filter(open_formats)
        if user.is_staff:
            return self.all()
        return self.filter(
            open_formats
            | Q(organization__memberships__user=user)
            | Q(enrolments__user=user)
            | Q(coaches=user)
        ).distinct()

    def coached_by(self, user: User) -> CohortQuerySet:
        return self.filter(coaches=user)

    def upcoming(self) -> CohortQuerySet:
        """Cohorts that have not finished yet, soonest first."""
        today = timezone.localdate()
        return self.filter(Q(ends_on__gte=today) | Q(ends_on__isnull=True)).order_by(
            "starts_on", "name"
        )


class Cohort(ClusterableModel):
    """One run of a course on dates, in a time zone, with its people."""

    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        related_name="cohorts",
        verbose_name=_("course"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short name"),
        max_length=80,
        unique=True,
        help_text=_("Used in the cohort's web address."),
    )
    format = models.CharField(
        _("format"),
        max_length=20,
        choices=CohortFormat.choices,
        default=CohortFormat.PUBLIC,
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cohorts",
        verbose_name=_("organization"),
        help_text=_("Required for in-house training; the cohort is private to it."),
    )
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        validators=[validate_time_zone],
        help_text=_("Session times are entered in this zone, e.g. Asia/Shanghai."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Seats; leave empty for no limit. Beyond it people wait."),
    )
    coaches = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coached_cohorts",
        verbose_name=_("coaches"),
        limit_choices_to={"is_coach": True},
    )
    join_code = models.CharField(
        _("join code"),
        max_length=20,
        unique=True,
        default=new_join_code,
        help_text=_("Trainees type it to enrol themselves."),
    )
    join_code_expires_on = models.DateField(
        _("join code expires on"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["starts_on", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.format == CohortFormat.IN_HOUSE and not self.organization_id:
            raise ValidationError(
                {"organization": _("In-house training belongs to one organization.")}
            )
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {"ends_on": _("A cohort cannot end before it starts.")}
            )
        if self.join_code:
            self.join_code = self.join_code.strip().upper()

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_in_house(self) -> bool:
        return self.format == CohortFormat.IN_HOUSE

    def get_absolute_url(self) -> str:
        """The schedule page, served by Wagtail under the course."""
        return self.course.url + self.course.reverse_subpage(
            "cohort_schedule", kwargs={"cohort_slug": self.slug}
        )


class SessionKind(models.TextChoices):
    ONLINE = "online", _("Live online")
    WORKSHOP = "workshop", _("Offline workshop")
    ONE_TO_ONE = "one_to_one", _("1:1")


class SessionQuerySet(models.QuerySet["Session"]):
    def upcoming(self) -> SessionQuerySet:
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at")

    def past(self) -> SessionQuerySet:
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at")


class Session(models.Model):
    """A live online session, an offline workshop or a 1:1 within a cohort."""

    cohort = ParentalKey(
        Cohort,
        on_delete=models.CASCADE,
        related_name="sessions",
        verbose_name=_("cohort"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=SessionKind.choices,
        default=SessionKind.ONLINE,
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    meeting_url = models.URLField(_("meeting link"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    map_url = models.URLField(_("map link"), blank=True)
    replay_url = models.URLField(_("replay link"), blank=True)
    materials_url = models.URLField(_("materials link"), blank=True)
    materials_note = models.TextField(_("materials"), blank=True)
    lessons = ParentalManyToManyField(
        "wagtailcore.Page",
        blank=True,
        related_name="cohort_sessions",
        verbose_name=_("linked lessons"),
        limit_choices_to={"depth__gte": 5},
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="one_to_one_sessions",
        verbose_name=_("trainee (1:1 only)"),
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A session must end after it starts.")})

    def has_ended(self, now: datetime | None = None) -> bool:
        return self.ends_at < (now or timezone.now())


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("Enrolled")
    WAITLISTED = "waitlisted", _("Waitlisted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EnrolmentSource(models.TextChoices):
    JOIN_CODE = "join_code", _("Join code")
    BULK = "bulk", _("Bulk enrolment")
    STAFF = "staff", _("Staff")


class Enrolment(models.Model):
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("cohort"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("user"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.ACTIVE,
    )
    source = models.CharField(
        _("source"),
        max_length=20,
        choices=EnrolmentSource.choices,
        default=EnrolmentSource.JOIN_CODE,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["cohort", "status_changed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "user"], name="enrolment_unique_cohort_user"
            )
        ]
        indexes = [models.Index(fields=["cohort", "status", "status_changed_at"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.cohort} ({self.get_status_display()})"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class AttendanceMethod(models.TextChoices):
    COACH = "coach", _("Taken by the coach")
    QR = "qr", _("QR check-in")


class Attendance(models.Model):
    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("session"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("user"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AttendanceStatus.choices
    )
    method = models.CharField(
        _("method"), max_length=20, choices=AttendanceMethod.choices
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="attendance_unique_session_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.session}: {self.get_status_display()}"

    @property
    def counts_as_attended(self) -> bool:
        return self.status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class CalendarFeed(models.Model):
    """A user's private calendar key; replacing it revokes every old feed address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    key = models.CharField(_("key"), max_length=64, unique=True, default=new_feed_key)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)


def bulk_upload_path(instance: BulkEnrolment, filename: str) -> str:
    return f"cohorts/bulk/{instance.cohort_id}/{filename}"


class BulkEnrolmentStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Enrolled")


class BulkEnrolment(models.Model):
    """An uploaded roster: checked into a row-by-row preview, enrolled on confirm."""

    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        related_name="bulk_enrolments",
        verbose_name=_("cohort"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    file = models.FileField(_("file"), upload_to=bulk_upload_path)
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=BulkEnrolmentStatus.choices,
        default=BulkEnrolmentStatus.PREVIEWED,
    )
    rows = models.JSONField(_("rows"), default=list)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulk enrolment")
        verbose_name_plural = _("bulk enrolments")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name


class Question(models.Model):
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("cohort"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cohort_questions",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("question"))
    accepted_answer = models.OneToOneField(
        "Answer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted answer"),
    )
    created_at = models.DateTimeField(_("asked"), default=timezone.now)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Answer(models.Model):
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("question"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cohort_answers",
        verbose_name=_("author"),
    )
    body = models.TextField(_("answer"))
    created_at = models.DateTimeField(_("answered"), default=timezone.now)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.body[:60]
