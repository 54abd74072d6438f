"""Staff manage organisations and memberships from Wagtail's admin."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from accounts.models import Membership, Organization


class OrganizationViewSet(ModelViewSet):
    model = Organization
    icon = "group"
    menu_label = _("Organizations")
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    form_fields = ["name", "slug", "logo", "platforms"]
    add_to_admin_menu = False


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Memberships")
    list_display = ["user", "organization", "role", "is_champion"]
    list_filter = ["organization", "role", "is_champion"]
    form_fields = ["user", "organization", "role", "is_champion", "title"]
    add_to_admin_menu = False


class PeopleViewSetGroup(ModelViewSetGroup):
    items = (OrganizationViewSet, MembershipViewSet)
    menu_label = _("Enterprises")
    menu_icon = "group"
    menu_order = 300


@hooks.register("register_admin_viewset")
def register_people() -> PeopleViewSetGroup:
    return PeopleViewSetGroup()
