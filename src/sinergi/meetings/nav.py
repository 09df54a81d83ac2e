from django.utils.translation import gettext_lazy as _

from sinergi.aspirations.nav import AGENCY_SIDE, NOT_SPONSOR
from sinergi.core.nav import NavItem

ITEMS = [
    NavItem(_("Meetings"), "meetings:list", roles=NOT_SPONSOR, order=620),
    NavItem(_("Meeting calendar"), "meetings:calendar", roles=NOT_SPONSOR, order=621),
    NavItem(_("Commitments"), "meetings:commitments", roles=NOT_SPONSOR, order=625),
    NavItem(_("Dialogue cadence"), "meetings:cadence", roles=AGENCY_SIDE, order=630),
]
