from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """Pre-training diagnosis questionnaires, session surveys and course evaluations."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "cohorts.feedback"
    label = "feedback"
    verbose_name = _("Diagnosis and feedback")
