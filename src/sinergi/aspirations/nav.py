from django.utils.translation import gettext_lazy as _

from sinergi.accounts.roles import Role
from sinergi.core.nav import NavItem

NOT_SPONSOR = frozenset(r for r in Role.values if r != Role.SPONSOR_VIEWER)
AGENCY_SIDE = frozenset(NOT_SPONSOR - {Role.UNION_OFFICIAL})

ITEMS = [
    NavItem(_("Aspirations"), "aspirations:list", roles=NOT_SPONSOR, order=600),
    NavItem(_("Tripartite agenda"), "aspirations:agenda", roles=AGENCY_SIDE, order=610),
    NavItem(_("Aspiration reports"), "aspirations:reports", roles=NOT_SPONSOR, order=640),
    NavItem(_("Notifications"), "aspirations:notifications", order=645),
    NavItem(_("Deadlines and routing"), "aspirations:settings", roles=frozenset({Role.ADMIN}), order=940),
]
