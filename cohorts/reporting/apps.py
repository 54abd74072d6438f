from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """The enterprise's view: its people's progress across cohorts, and exports."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "cohorts.reporting"
    label = "reporting"
    verbose_name = _("Enterprise reports")
