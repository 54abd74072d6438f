from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdmissionsConfig(AppConfig):
    """Applications (报名) with approval, payment records and invoice requests."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "cohorts.admissions"
    label = "admissions"
    verbose_name = _("Applications and payments")
