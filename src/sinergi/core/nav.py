"""Navigation by role. Each app may define `nav.py` with `ITEMS = [NavItem(...)]`; the shell shows the
items whose capability the user holds (or whose roles include the user's role)."""

import importlib
import importlib.util
from dataclasses import dataclass
from functools import lru_cache

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from sinergi import DOMAIN_APPS
from sinergi.core.roles import can


@dataclass(frozen=True)
class NavItem:
    label: str  # a gettext_lazy string
    url_name: str
    capability: str | None = None
    roles: frozenset[str] | None = None  # None: every logged-in role
    order: int = 100


@lru_cache(maxsize=1)
def all_items() -> tuple[NavItem, ...]:
    items = []
    for app in DOMAIN_APPS:
        if importlib.util.find_spec(f"{app}.nav") is not None:
            items.extend(importlib.import_module(f"{app}.nav").ITEMS)
    return tuple(sorted(items, key=lambda i: i.order))


def _group_labels() -> dict:

    labels = {
        app.rsplit(".", 1)[1]: importlib.import_module(f"{app}.nav").GROUP
        for app in DOMAIN_APPS
        if importlib.util.find_spec(f"{app}.nav") is not None
        and hasattr(importlib.import_module(f"{app}.nav"), "GROUP")
    }
    return labels | {
        "registry": _("Registry"),
        "coverage": _("Social security"),
        "claims": _("Benefit claims"),
        "programs": _("Welfare programs"),
        "aspirations": _("Aspirations and dialogue"),
        "meetings": _("Aspirations and dialogue"),
        "regions": _("Reference data"),
        "accounts": _("Administration"),
        "core": _("Administration"),
    }


def groups_for(items: list[dict]) -> list[dict]:
    """`items_for(user)` grouped under a heading per area, in the order the areas first appear;
    the home page stands alone at the top."""
    labels = _group_labels()
    groups: list[dict] = []
    by_label: dict[str, dict] = {}
    for item in items:
        namespace = item["url_name"].split(":", 1)[0]
        label = "" if item["url_name"] == "core:home" else labels.get(namespace, "")
        key = str(label)
        if key not in by_label:
            by_label[key] = {"label": label, "items": []}
            groups.append(by_label[key])
        by_label[key]["items"].append(item)
    return groups


def items_for(user) -> list[dict]:

    visible = []
    for item in all_items():
        if item.capability and not can(user, item.capability):
            continue
        if item.roles is not None and user.role not in item.roles:
            continue
        try:
            visible.append({"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name})
        except NoReverseMatch:
            continue
    return visible


def _core_items():

    return [
        NavItem(_("Home"), "core:home", order=0),
        NavItem(_("Jobs"), "core:job_list", order=950),
        NavItem(_("Audit log"), "core:audit_log", capability="view_audit_log", order=960),
    ]


class _LazyItems:
    """Built on first use so gettext_lazy and app loading are ready."""

    def __iter__(self):
        return iter(_core_items())


ITEMS = _LazyItems()
