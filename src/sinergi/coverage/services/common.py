"""What every coverage service shares: the all-or-nothing import error and the region check. Uploaded
tables are read by the one reader in `sinergi.core.tables` (re-exported here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from sinergi.accounts.scoping import user_scope
from sinergi.core.errors import NotAllowed, SinergiError
from sinergi.core.tables import map_columns, read_table

if TYPE_CHECKING:
    from sinergi.accounts.models import User

__all__ = ["ImportErrors", "map_columns", "read_table", "scope_check_region"]


class ImportErrors(SinergiError):
    """A file with bad rows: nothing was written; `errors` lists every bad row."""

    def __init__(self, errors: list[dict]):
        super().__init__(
            _("The file has %(n)d problem(s); nothing was saved.") % {"n": len(errors)}, code="invalid_file"
        )
        self.errors = errors


def scope_check_region(actor: User, region_code):

    if not user_scope(actor).covers_region(region_code):
        raise NotAllowed(_("This region is outside your area."))
