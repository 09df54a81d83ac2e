"""Re-pointing rows from one record to another when two records are merged (the person merge).

The owner of the merged model (registry, for people) asks every app that points at it to move its
own rows: each such app has a `merge.py` (not this module) whose `person_merge(*, keep, drop)` calls `repoint` on its
own foreign keys (and does whatever else its rules need, e.g. ending a clashing membership).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from sinergi.core.errors import Conflict


def repoint(fields: Iterable[tuple[type[models.Model], str]], *, keep, drop) -> dict[str, int]:
    """Point every `model.field` that references `drop` at `keep`; returns {"app.model.field": count}.

    A row that cannot move (a unique constraint would break) turns into a Conflict naming the model,
    leaving the caller's transaction to roll back.
    """
    moved: dict[str, int] = {}
    for model, field in fields:
        try:
            with transaction.atomic():
                count = model._default_manager.filter(**{field: drop}).update(**{field: keep})
        except IntegrityError:
            raise Conflict(
                _("Records of %(model)s cannot be moved automatically; resolve them first.")
                % {"model": model._meta.verbose_name_plural},
                code="merge_conflict",
            )
        if count:
            moved[f"{model._meta.label_lower}.{field}"] = count
    return moved
