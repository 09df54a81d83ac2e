from django.utils.translation import gettext_lazy as _

from sinergi.core.nav import NavItem

ITEMS = [
    NavItem(_("Regions"), "regions:region_list", order=900),
    NavItem(_("Minimum wages"), "regions:minimum_wage_list", order=901),
]
