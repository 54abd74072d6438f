from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    """Homework, reviews, follow-ups and champions: the coaching half of `cohorts/`."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "cohorts.coaching"
    label = "coaching"
    verbose_name = _("Coaching")
