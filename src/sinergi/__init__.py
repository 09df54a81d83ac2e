"""Sinergi: one system for manpower agencies, BPJS Ketenagakerjaan branches and trade unions."""

__version__ = "0.1.0"

# Domain apps in dependency order. Settings, URLs, the API and the demo loader all read this list,
# so adding an app is one line here.
DOMAIN_APPS = [
    "sinergi.core",
    "sinergi.regions",
    "sinergi.accounts",
    "sinergi.ops",
    "sinergi.notifications",
    "sinergi.unions",
    "sinergi.registry",
    "sinergi.coverage",
    "sinergi.claims",
    "sinergi.programs",
    "sinergi.aspirations",
    "sinergi.meetings",
    "sinergi.lifeevents",
    "sinergi.eorder",
    "sinergi.planning",
    "sinergi.reporting",
]
