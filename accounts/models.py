"""Users, the enterprise clients they belong to, and their roles there.

Roles (see docs/architecture.md): a *trainee* is any active user; an *org admin*
holds an admin `Membership`; a *champion* is a member named by their organisation
(`Membership.is_champion`); a *coach* has `User.is_coach` and is attached to cohorts
by the cohorts app; *staff/editors* use Wagtail's admin (`is_staff`). Permission
checks live in `accounts.selectors` and always look at the object.
"""

from __future__ import annotations

import zoneinfo
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def time_zone_choices() -> list[tuple[str, str]]:
    preferred = [
        "Asia/Shanghai",
        "Asia/Hong_Kong",
        "Asia/Singapore",
        "America/Los_Angeles",
        "America/New_York",
        "Europe/London",
        "Europe/Berlin",
        "UTC",
    ]
    rest = sorted(zoneinfo.available_timezones() - set(preferred))
    return [(name, name) for name in preferred + rest]


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone we know, such as Asia/Shanghai."),
            params={"value": value},
        )


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class Platform(models.TextChoices):
    AMAZON = "amazon", _("Amazon")
    SHOPIFY = "shopify", _("Shopify")
    TIKTOK_SHOP = "tiktok_shop", _("TikTok Shop")
    SHOPEE = "shopee", _("Shopee")
    TEMU = "temu", _("Temu")
    WALMART = "walmart", _("Walmart")
    ALIEXPRESS = "aliexpress", _("AliExpress")
    OTHER = "other", _("Other")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address."""

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=120)
    preferred_language = models.CharField(
        _("interface language"),
        max_length=10,
        choices=Language.choices,
        default=Language.ZH_HANS,
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        validators=[validate_time_zone],
    )
    is_coach = models.BooleanField(
        _("coach"),
        default=False,
        help_text=_("Coaches review homework and run follow-ups for their cohorts."),
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Staff can sign in to the content and administration site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["display_name", "email"]

    def __str__(self) -> str:
        return self.display_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name


def validate_platforms(value: object) -> None:
    allowed = set(Platform.values)
    if not isinstance(value, list) or any(item not in allowed for item in value):
        raise ValidationError(
            _("Choose platforms from the list: %(allowed)s"),
            params={"allowed": ", ".join(sorted(allowed))},
        )


class Organization(models.Model):
    """An enterprise client: a seller company whose people are trained."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    logo = models.ImageField(_("logo"), upload_to="organizations/logos/", blank=True)
    platforms = models.JSONField(
        _("platforms"),
        default=list,
        blank=True,
        validators=[validate_platforms],
        help_text=_("The marketplaces and sites the company sells on."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="organizations",
        verbose_name=_("members"),
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def platform_labels(self) -> list[str]:
        labels = dict(Platform.choices)
        return [str(labels.get(code, code)) for code in self.platforms]


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    ADMIN = "admin", _("Organization admin")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=MembershipRole.choices,
        default=MembershipRole.MEMBER,
    )
    is_champion = models.BooleanField(
        _("internal champion"),
        default=False,
        help_text=_("Carries the KPI method inside the company after the course."),
    )
    title = models.CharField(_("job title"), max_length=120, blank=True)
    team = models.CharField(
        _("team"),
        max_length=120,
        blank=True,
        help_text=_("The team inside the company, e.g. Amazon US team 2."),
    )
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organization__name", "user__display_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="membership_unique_user_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.get_role_display()})"

    @property
    def is_admin(self) -> bool:
        return self.role == MembershipRole.ADMIN


# --- Notifications --------------------------------------------------------------------


class NotificationKind(models.TextChoices):
    """Every kind a user can turn off. Apps add reminders under one of these kinds."""

    SESSION_TOMORROW = "session_tomorrow", _("A session tomorrow")
    HOMEWORK_DUE_SOON = "homework_due_soon", _("Homework due within 48 hours")
    HOMEWORK_OVERDUE = "homework_overdue", _("Overdue homework")
    HOMEWORK_RETURNED = "homework_returned", _("Homework returned for revision")
    REVIEW_NEW = "review_new", _("A new review of your homework")
    ACTION_ITEM_OVERDUE = "action_item_overdue", _("Overdue action items")
    FOLLOW_UP_TOMORROW = "follow_up_tomorrow", _("A follow-up tomorrow")
    APPLICATION_STATUS = "application_status", _("Changes to your applications")
    SURVEY_REQUEST = "survey_request", _("Feedback surveys after sessions and courses")
    CERTIFICATE_ISSUED = "certificate_issued", _("A certificate issued to you")


class Notification(models.Model):
    """An in-app notification (and the record that its email went out).

    `dedupe_key` makes every reminder idempotent: a job that runs twice finds the row
    it wrote the first time and sends nothing again.
    """

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    title = models.CharField(_("notification title"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    dedupe_key = models.CharField(_("deduplication key"), max_length=200)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"], name="notification_unique_dedupe_key"
            )
        ]
        indexes = [models.Index(fields=["user", "read_at", "created_at"])]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """A user's choice for one kind; no row means both channels are on."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    in_app = models.BooleanField(_("in the app"), default=True)
    email = models.BooleanField(_("by email"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notification_preference_unique_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}"
