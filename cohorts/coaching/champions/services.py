"""Writes for internal champions: naming and removing them, and the re-training
sessions they log. Each service checks the acting user on the object first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Organization, User
from cohorts.coaching.champions.selectors import ChampionsAccess
from cohorts.coaching.models import CohortChampion, RetrainingSession
from cohorts.models import EnrolmentStatus

# Naming -----------------------------------------------------------------------------


def champion_name(
    *, access: ChampionsAccess, organization: Organization, user: User, by: User
) -> CohortChampion:
    """Name `user` champion of `organization` in the cohort. Naming the same person
    twice changes nothing."""
    if organization.pk not in {o.pk for o in access.organizations}:
        raise PermissionDenied
    cohort = access.cohort
    if not Membership.objects.filter(user=user, organization=organization).exists():
        raise ValidationError(_("A champion must be a member of the organization."))
    if not cohort.enrolments.filter(user=user, status=EnrolmentStatus.ACTIVE).exists():
        raise ValidationError(_("A champion must be enrolled in the cohort."))
    champion, _created = CohortChampion.objects.get_or_create(
        cohort=cohort,
        organization=organization,
        user=user,
        defaults={"named_by": by, "named_at": timezone.now()},
    )
    return champion


def champion_remove(*, access: ChampionsAccess, champion: CohortChampion) -> None:
    if champion.cohort_id != access.cohort.pk or champion.organization_id not in {
        o.pk for o in access.organizations
    }:
        raise PermissionDenied
    champion.delete()


# Re-training sessions -----------------------------------------------------------------


def check_materials_file(upload: UploadedFile) -> None:
    """The same limits as homework files: size and extension from settings."""
    if upload.size > settings.HOMEWORK_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)s MB.")
            % {"mb": settings.HOMEWORK_MAX_BYTES // (1024 * 1024)}
        )
    extension = Path(upload.name or "").suffix.lower().lstrip(".")
    if extension not in settings.HOMEWORK_FILE_EXTENSIONS:
        raise ValidationError(
            _("Files of this type cannot be uploaded. Allowed: %(types)s.")
            % {"types": ", ".join(settings.HOMEWORK_FILE_EXTENSIONS)}
        )


@dataclass(frozen=True, slots=True)
class RetrainingDetails:
    held_on: dt.date
    topic: str
    attendees: list[User]
    attendee_count: int = 0  # others without an account
    attendee_names: str = ""
    materials_url: str = ""
    notes: str = ""
    materials: UploadedFile | None = None
    remove_materials: bool = False


def _check(details: RetrainingDetails, organization: Organization) -> None:
    if not details.topic.strip():
        raise ValidationError(_("Give the session a topic."))
    if details.held_on > timezone.localdate():
        raise ValidationError(
            _("Log a session after it was held: the date is in the future.")
        )
    members = set(
        Membership.objects.filter(organization=organization).values_list(
            "user_id", flat=True
        )
    )
    if any(person.pk not in members for person in details.attendees):
        raise ValidationError(
            _("Attendees with an account must be members of the organization.")
        )
    if details.materials is not None:
        check_materials_file(details.materials)


def _apply(session: RetrainingSession, details: RetrainingDetails) -> None:
    session.held_on = details.held_on
    session.topic = details.topic.strip()
    session.attendee_count = details.attendee_count
    session.attendee_names = details.attendee_names.strip()
    session.materials_url = details.materials_url.strip()
    session.notes = details.notes.strip()
    if details.materials is not None:
        session.materials = details.materials
    elif details.remove_materials:
        session.materials = ""


@transaction.atomic
def retraining_session_log(
    *, championship: CohortChampion, champion: User, details: RetrainingDetails
) -> RetrainingSession:
    """A champion logs a session they ran for their organisation."""
    if championship.user_id != champion.pk:
        raise PermissionDenied
    _check(details, championship.organization)
    session = RetrainingSession(
        organization=championship.organization,
        cohort=championship.cohort,
        champion=champion,
    )
    _apply(session, details)
    session.save()
    session.attendees.set(details.attendees)
    return session


@transaction.atomic
def retraining_session_update(
    *, session: RetrainingSession, champion: User, details: RetrainingDetails
) -> RetrainingSession:
    """Only the champion who logged a session edits it. A replaced file is kept on
    disk (storage is append-only, as for homework)."""
    if session.champion_id != champion.pk:
        raise PermissionDenied
    _check(details, session.organization)
    _apply(session, details)
    session.save()
    session.attendees.set(details.attendees)
    return session
