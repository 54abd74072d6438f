"""Coaching: assignments with rubrics, versioned submissions, reviews, 1:1 follow-ups,
internal champions and the re-training sessions they run.

Action items live in `workbook.ActionItem` (one model for weekly reviews, homework reviews
and follow-ups); that model points here (`follow_up`, `submission`), so coaching reaches
them through reverse relations (`follow_up.action_items`, `user.action_items`) without
importing the workbook app. A workbook submitted as homework is a `workbook.Snapshot`
pointing at its `SubmissionVersion` (`version.workbook_snapshot`).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField

from cohorts.models import Cohort

# --- Assignments and rubrics ------------------------------------------------------------


class AssignmentKind(models.TextChoices):
    TEXT = "text", _("Text answer")
    FILE = "file", _("File upload")
    WORKBOOK = "workbook", _("Workbook snapshot")


class Assignment(models.Model):
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("cohort"),
    )
    title = models.CharField(_("assignment title"), max_length=200)
    instructions = RichTextField(_("instructions"), blank=True)
    kind = models.CharField(
        _("kind of answer"),
        max_length=20,
        choices=AssignmentKind.choices,
        default=AssignmentKind.TEXT,
    )
    due_at = models.DateTimeField(_("due"))
    lesson = models.ForeignKey(
        "courses.LessonPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("lesson"),
    )
    is_required = models.BooleanField(
        _("required for completion"),
        default=True,
        help_text=_("Completion rules count only required assignments."),
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["cohort", "due_at", "position", "id"]
        indexes = [models.Index(fields=["cohort", "due_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def max_points_total(self) -> int:
        return sum(c.max_points for c in self.criteria.all())


class RubricCriterion(models.Model):
    """One row of an assignment's rubric: a weight, a points scale (0..max_points) and
    what each level looks like. `levels` is a list of {"points", "label", "description"}."""

    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("assignment"),
    )
    title = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("what it looks at"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    max_points = models.PositiveSmallIntegerField(
        _("maximum points"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    levels = models.JSONField(_("level descriptors"), default=list, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        ordering = ["assignment", "position", "id"]

    def __str__(self) -> str:
        return self.title


# --- Submissions --------------------------------------------------------------------------


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Approved")


class Submission(models.Model):
    """One trainee's work on one assignment across all its versions.

    `waiting_since` is when the latest version arrived (the review queue sorts by it);
    a claim belongs to `claimed_by` until `claimed_at + COACHING_CLAIM_MINUTES`.
    """

    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("assignment"),
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("trainee"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.SUBMITTED,
    )
    version_count = models.PositiveIntegerField(_("versions"), default=0)
    first_submitted_at = models.DateTimeField(
        _("first submitted"), default=timezone.now
    )
    waiting_since = models.DateTimeField(_("waiting since"), default=timezone.now)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claimed_submissions",
        verbose_name=_("claimed by"),
    )
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    score_percent = models.DecimalField(
        _("latest score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["waiting_since", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "trainee"], name="one_submission_per_trainee"
            )
        ]
        indexes = [
            models.Index(fields=["status", "waiting_since"]),
            models.Index(fields=["assignment", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.trainee}"

    def claim_expires_at(self) -> timezone.datetime | None:
        if self.claimed_at is None:
            return None
        return self.claimed_at + timedelta(minutes=settings.COACHING_CLAIM_MINUTES)

    def is_claimed_by_other(
        self, user: object, *, now: timezone.datetime | None = None
    ) -> bool:
        expires = self.claim_expires_at()
        if self.claimed_by_id is None or expires is None:
            return False
        return self.claimed_by_id != getattr(user, "pk", None) and expires > (
            now or timezone.now()
        )


def submission_upload_path(instance: SubmissionVersion, filename: str) -> str:
    submission = instance.submission
    return (
        f"homework/{submission.assignment.cohort_id}/{submission.assignment_id}/"
        f"{submission.trainee_id}/v{instance.number}/{filename}"
    )


class SubmissionVersion(models.Model):
    """A version never changes once written; a resubmission adds the next number."""

    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("submission"),
    )
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("answer"), blank=True)
    file = models.FileField(_("file"), upload_to=submission_upload_path, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    note = models.TextField(_("note to the coach"), blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        verbose_name = _("submission version")
        verbose_name_plural = _("submission versions")
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "number"], name="unique_submission_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission} v{self.number}"


# --- Reviews ------------------------------------------------------------------------------


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return for revision")


class Review(models.Model):
    """A coach's verdict on one version: rubric scores, comments, approve or return."""

    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("submission"),
    )
    version = models.OneToOneField(
        SubmissionVersion,
        on_delete=models.CASCADE,
        related_name="review",
        verbose_name=_("version"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="homework_reviews",
        verbose_name=_("reviewer"),
    )
    decision = models.CharField(
        _("decision"), max_length=20, choices=ReviewDecision.choices
    )
    comment = models.TextField(_("overall comment"), blank=True)
    score_percent = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    started_at = models.DateTimeField(_("waiting since"))
    created_at = models.DateTimeField(_("reviewed"), default=timezone.now)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["reviewer", "created_at"])]

    def __str__(self) -> str:
        return f"{self.submission} · {self.get_decision_display()}"


class CriterionScore(models.Model):
    review = models.ForeignKey(
        Review,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("review"),
    )
    criterion = models.ForeignKey(
        RubricCriterion,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("criterion"),
    )
    points = models.PositiveSmallIntegerField(_("points"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="one_score_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points}"


class NodeComment(models.Model):
    """A review comment pinned to one node of a submitted workbook snapshot."""

    review = models.ForeignKey(
        Review,
        on_delete=models.CASCADE,
        related_name="node_comments",
        verbose_name=_("review"),
    )
    node_id = models.CharField(_("metric node"), max_length=100)
    body = models.TextField(_("comment"))

    class Meta:
        verbose_name = _("node comment")
        verbose_name_plural = _("node comments")
        ordering = ["review", "id"]

    def __str__(self) -> str:
        return f"{self.node_id}: {self.body[:40]}"


# --- Follow-ups ---------------------------------------------------------------------------


class FollowUpStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    DONE = "done", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class FollowUp(models.Model):
    """A 1:1 coaching session ("陪跑"): agenda, the coach's notes, the trainee's reflection,
    and the action items agreed (`follow_up.action_items`)."""

    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("cohort"),
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coached_follow_ups",
        verbose_name=_("coach"),
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("trainee"),
    )
    scheduled_at = models.DateTimeField(_("when"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("minutes"),
        default=45,
        validators=[MinValueValidator(5), MaxValueValidator(480)],
    )
    location = models.CharField(_("where or meeting link"), max_length=300, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    notes = models.TextField(_("coach's notes"), blank=True)
    reflection = models.TextField(_("trainee's reflection"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.SCHEDULED,
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_follow_ups",
        verbose_name=_("previous follow-up"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-scheduled_at", "id"]
        indexes = [
            models.Index(fields=["coach", "scheduled_at"]),
            models.Index(fields=["trainee", "scheduled_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.coach} ↔ {self.trainee} · {self.scheduled_at:%Y-%m-%d}"


# --- Internal champions -------------------------------------------------------------------


class CohortChampion(models.Model):
    """The internal champion ("内部推动人") for one organisation's people in one cohort."""

    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        related_name="champions",
        verbose_name=_("cohort"),
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="cohort_champions",
        verbose_name=_("organization"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="championships",
        verbose_name=_("champion"),
    )
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    named_at = models.DateTimeField(_("named"), default=timezone.now)

    class Meta:
        verbose_name = _("internal champion")
        verbose_name_plural = _("internal champions")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "organization", "user"], name="unique_cohort_champion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} · {self.cohort}"


def retraining_upload_path(instance: RetrainingSession, filename: str) -> str:
    return f"retraining/{instance.organization_id}/{filename}"


class RetrainingSession(models.Model):
    """A session a champion ran inside their company to pass the method on."""

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="retraining_sessions",
        verbose_name=_("organization"),
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="retraining_sessions",
        verbose_name=_("cohort"),
    )
    champion = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="retraining_sessions",
        verbose_name=_("champion"),
    )
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=200)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="retraining_attended",
        verbose_name=_("attendees with an account"),
    )
    attendee_count = models.PositiveIntegerField(_("number of attendees"), default=0)
    attendee_names = models.TextField(_("other attendees"), blank=True)
    materials = models.FileField(
        _("materials"), upload_to=retraining_upload_path, blank=True
    )
    materials_url = models.URLField(_("materials link"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)

    class Meta:
        verbose_name = _("re-training session")
        verbose_name_plural = _("re-training sessions")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organization", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on} · {self.topic}"
