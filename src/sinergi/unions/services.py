"""Writes for union bodies. The materialised `path` is maintained here and only here."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sinergi.core.audit import audit_create
from sinergi.core.errors import SinergiError
from sinergi.unions.models import UnionBody


def union_body_create(
    *, actor, name: str, kind: str, parent: UnionBody | None = None, level=None, **fields
) -> UnionBody:
    """Create a body under `parent`; pass `region=` or `region_id=` in fields."""
    if parent is not None and parent.kind == UnionBody.Kind.UNION and kind != UnionBody.Kind.UNIT:
        raise SinergiError(
            _("A union cannot have a federation or confederation below it."),
            code="bad_parent",
            field="parent",
        )
    with transaction.atomic():
        body = UnionBody.objects.create(name=name, kind=kind, parent=parent, level=level, **fields)
        body.path = f"{parent.path if parent else '/'}{body.pk}/"
        body.save(update_fields=["path"])
        audit_create(actor=actor, obj=body)
    return body
