from django.utils.translation import gettext_lazy as _

from sinergi.core.nav import NavItem

# The heading this app's items appear under (core.nav groups items by app).
GROUP = _("Planning and reporting")

ITEMS = [
    NavItem(_("Leadership dashboard"), "reporting:dashboard", order=690),
]
