from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """Pre-training diagnosis questionnaires, session surveys and course evaluations."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "cohorts.feedback"
    label = "feedback"
    verbose_name = _("Diagnosis and feedback")

    def ready(self) -> None:
        from accounts.home import register_home_panel
        from cohorts.feedback import home, reminders

        register_home_panel(home.pending_feedback_panel)
        reminders.register()
