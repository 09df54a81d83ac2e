from django.utils.translation import gettext_lazy as _

from sinergi.core.nav import NavItem

ITEMS = [NavItem(_("Users"), "accounts:user_list", capability="manage_users", order=940)]
