from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """The enterprise's view: its people's progress across cohorts, and exports."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "cohorts.reporting"
    label = "reporting"
    verbose_name = _("Enterprise reports")

    def ready(self) -> None:
        from accounts.home import register_home_panel
        from accounts.navigation import NAV_ITEMS, NavItem
        from cohorts.reporting import home

        if not any(item.url_name == "reporting:index" for item in NAV_ITEMS):
            NAV_ITEMS.append(
                NavItem(_("Enterprise reports"), "reporting:index", "org_admin|staff")
            )
        register_home_panel(home.org_admin_panel)
