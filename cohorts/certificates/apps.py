from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    """Completion rules, certificate designs, issued certificates and their verification."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "cohorts.certificates"
    label = "certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from accounts.home import register_home_panel
        from accounts.navigation import NAV_ITEMS, NavItem
        from accounts.reminders import register_reminder
        from cohorts.certificates.home import certificates_panel
        from cohorts.certificates.tasks import auto_issue_certificates

        register_home_panel(certificates_panel)
        register_reminder(auto_issue_certificates)
        item = NavItem(_("My certificates"), "certificates:mine", "trainee")
        if item not in NAV_ITEMS:
            NAV_ITEMS.append(item)
