from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    """Completion rules, certificate designs, issued certificates and their verification."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "cohorts.certificates"
    label = "certificates"
    verbose_name = _("Certificates")
