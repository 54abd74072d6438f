from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AdmissionsConfig(AppConfig):
    """Applications (报名) with approval, payment records and invoice requests."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "cohorts.admissions"
    label = "admissions"
    verbose_name = pgettext_lazy("admissions", "Applications and payments")

    def ready(self) -> None:
        from accounts.home import register_home_panel
        from accounts.navigation import NAV_ITEMS, NavItem
        from cohorts.admissions import home

        if not any(item.url_name == "admissions:review" for item in NAV_ITEMS):
            NAV_ITEMS.append(
                NavItem(
                    pgettext_lazy("admissions", "Applications"),
                    "admissions:review",
                    "staff|coach",
                )
            )
        register_home_panel(home.applicant_panel)
        register_home_panel(home.reviewer_panel)
