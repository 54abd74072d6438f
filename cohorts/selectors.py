"""Reads about cohorts, their sessions, enrolments and attendance."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cohorts.models import Enrolment, EnrolmentStatus

if TYPE_CHECKING:
    from accounts.models import User


def user_is_enrolled_in_course(*, user: User, course: object) -> bool:
    """Whether `user` holds an active seat in any cohort of `course` (lesson access)."""
    if user is None or not user.is_authenticated:
        return False
    return Enrolment.objects.filter(
        user=user, cohort__course=course, status=EnrolmentStatus.ACTIVE
    ).exists()
