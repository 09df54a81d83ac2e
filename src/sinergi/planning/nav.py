from django.utils.translation import gettext_lazy as _

from sinergi.accounts.roles import Role
from sinergi.core.nav import NavItem

PLANNERS = frozenset(
    {
        Role.AGENCY_OFFICER,
        Role.AGENCY_HEAD,
        Role.SS_OFFICER,
        Role.UNION_OFFICIAL,
        Role.ADMIN,
        Role.LEADERSHIP_VIEWER,
        Role.SPONSOR_VIEWER,
    }
)

# The heading this app's items appear under (core.nav groups items by app).
GROUP = _("Planning and reporting")

ITEMS = [
    NavItem(_("Work plans"), "planning:list", roles=PLANNERS, order=700),
    NavItem(_("Indicators"), "planning:indicators", order=710),
    NavItem(_("Review teams"), "planning:teams", roles=PLANNERS, order=715),
    NavItem(_("Coverage what-if"), "planning:what_if", capability="manage_schemes", order=720),
]
