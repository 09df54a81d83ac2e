from django.utils.translation import gettext_lazy as _

from sinergi.core.nav import NavItem

ITEMS = [
    NavItem(_("Leadership dashboard"), "reporting:dashboard", order=690),
]
