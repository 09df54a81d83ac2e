from django.utils.translation import gettext_lazy as _

from sinergi.core.nav import NavItem

ITEMS = [
    NavItem(_("Schedules and workers"), "ops:schedules", capability="operate", order=950),
    NavItem(_("E-mail outbox"), "ops:outbox", capability="operate", order=955),
]
