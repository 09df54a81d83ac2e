from django.utils.translation import gettext_lazy as _

from sinergi.accounts.roles import Role
from sinergi.core.nav import NavItem

GROUP = _("E-order")

SEES = frozenset(
    {Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.LEADERSHIP_VIEWER, Role.UNION_OFFICIAL, Role.ADMIN}
)
AGENCY = frozenset({Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.LEADERSHIP_VIEWER, Role.ADMIN})

ITEMS = [
    NavItem(_("Food orders"), "eorder:order_list", roles=SEES, order=700),
    NavItem(_("E-order vendors"), "eorder:vendor_list", roles=SEES, order=705),
    NavItem(_("Price ceilings"), "eorder:ceilings", roles=AGENCY, order=710),
    NavItem(_("E-order reports"), "eorder:reports", roles=SEES, order=715),
]
