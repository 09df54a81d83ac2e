from django.utils.translation import gettext_lazy as _

from sinergi.core.nav import NavItem

ITEMS = [
    NavItem(_("Claims"), "claims:claim_list", order=300),
    NavItem(_("Benefit calculator"), "claims:calculator", order=310),
]
