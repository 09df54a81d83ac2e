from django.utils.translation import gettext_lazy as _

from sinergi.accounts.roles import Role
from sinergi.core.nav import NavItem

_NOT_UNION = frozenset(r for r in Role.values if r != Role.UNION_OFFICIAL)

ITEMS = [
    NavItem(_("Contribution calculator"), "coverage:quote", order=200),
    NavItem(_("Participations"), "coverage:participation_list", order=205),
    NavItem(_("Sponsored schemes"), "coverage:scheme_list", roles=_NOT_UNION, order=210),
    NavItem(_("Bills"), "coverage:bill_list", roles=_NOT_UNION, order=215),
    NavItem(_("Billing runs"), "coverage:run_list", capability="run_billing", order=220),
    NavItem(_("Coverage gap"), "coverage:gap", order=225),
]
