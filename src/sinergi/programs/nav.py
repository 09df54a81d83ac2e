from django.utils.translation import gettext_lazy as _

from sinergi.core.nav import NavItem

ITEMS = [
    NavItem(_("Programs"), "programs:program_list", order=300),
    NavItem(_("Applications"), "programs:application_list", capability="nominate", order=305),
    NavItem(_("Worker cards"), "programs:card_list", capability="nominate", order=310),
    NavItem(_("Aid distributions"), "programs:distribution_list", order=315),
    NavItem(_("Training"), "programs:cohort_list", order=320),
    NavItem(_("Cooperatives"), "programs:coop_list", order=325),
]
