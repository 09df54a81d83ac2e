"""Registry entries in the side navigation."""

from django.utils.translation import gettext_lazy as _

from sinergi.core.nav import NavItem

ITEMS = [
    NavItem(_("Workers"), "registry:person_list", order=10),
    NavItem(_("Unions"), "registry:union_body_list", order=12),
    NavItem(_("Employers"), "registry:employer_list", order=14),
    NavItem(_("Import a list"), "registry:import_start", capability="import_registry", order=16),
    NavItem(_("Probable duplicates"), "registry:duplicate_list", capability="merge_people", order=18),
]
