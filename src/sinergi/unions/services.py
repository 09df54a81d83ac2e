# ruff: noqa: S608 - table and column names come from model _meta and constants; values are parameters
"""Writes for union bodies, recording at the agency, officials and memberships; member counts.

The materialised `path` is maintained here and only here. Member counts are stored on UnionBody and
recomputed set-based (one UPDATE per column) after imports and membership changes.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import IntegrityError, connection, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.permissions import require
from sinergi.core import bulksql, clock
from sinergi.core.audit import audit_create, audit_transition, audit_update, snapshot
from sinergi.core.errors import Conflict, SinergiError, check_choice, check_exists
from sinergi.regions.models import Region
from sinergi.rules.tables import RuleError
from sinergi.rules.unions import check_formation
from sinergi.unions.models import Membership, UnionBody, UnionLevel, UnionOfficial, UnionRegistration

if TYPE_CHECKING:
    from sinergi.accounts.models import User


def union_body_create(
    *, actor: User, name: str, kind: str, parent: UnionBody | None = None, level=None, **fields
) -> UnionBody:
    """Create a body under `parent`; pass `region=` or `region_id=` in fields."""
    check_choice(kind, UnionBody.Kind.values, field="kind")
    if "region" not in fields:
        check_exists(Region, fields.get("region_id") or "-", field="region_id")
    # The employer model is registry's (above unions): reach it through the foreign key, not an import.
    employer_model = UnionBody._meta.get_field("employer").related_model
    check_exists(employer_model, fields.get("employer_id"), field="employer_id")
    check_exists(UnionLevel, fields.get("level_id"), field="level_id")
    if parent is not None and parent.kind == UnionBody.Kind.UNION and kind != UnionBody.Kind.UNIT:
        raise SinergiError(
            _("A union cannot have a federation or confederation below it."),
            code="bad_parent",
            field="parent",
        )
    if parent is not None and kind == UnionBody.Kind.FEDERATION and parent.kind == UnionBody.Kind.FEDERATION:
        raise SinergiError(
            _("A federation joins a confederation, not another federation (UU 21/2000 Art. 16)."),
            code="bad_parent",
            field="parent",
        )
    with transaction.atomic():
        body = UnionBody.objects.create(name=name, kind=kind, parent=parent, level=level, **fields)
        body.path = f"{parent.path if parent else '/'}{body.pk}/"
        body.save(update_fields=["path"])
        audit_create(actor=actor, obj=body)
    return body


# --- recording at the manpower agency ------------------------------------------------------------


def constituents(body: UnionBody) -> int:
    """What UU 21/2000 counts for `body`: active members of a union, member unions of a federation,
    member federations of a confederation."""
    if body.kind == UnionBody.Kind.FEDERATION:
        return body.children.filter(kind=UnionBody.Kind.UNION, is_active=True).count()
    if body.kind == UnionBody.Kind.CONFEDERATION:
        return body.children.filter(kind=UnionBody.Kind.FEDERATION, is_active=True).count()
    return (
        Membership.objects.filter(body__path__startswith=body.path, status=Membership.Status.ACTIVE)
        .values("person_id")
        .distinct()
        .count()
    )


def registration_submit(
    *, actor: User, body: UnionBody, agency, submitted_on: dt.date, notes: str = ""
) -> UnionRegistration:
    require(actor, "edit_registry")
    if body.kind == UnionBody.Kind.UNIT:
        raise SinergiError(
            _("Levels inside a federation are not recorded separately; record the federation or union."),
            code="not_recordable",
        )
    with transaction.atomic():
        reg = UnionRegistration.objects.create(
            body=body, agency=agency, submitted_on=submitted_on, notes=notes
        )
        audit_create(actor=actor, obj=reg)
    return reg


_ALLOWED: dict[str, set[str]] = {
    UnionRegistration.Status.SUBMITTED: {"suspended", "recorded", "returned"},
    UnionRegistration.Status.SUSPENDED: {"recorded", "returned"},
    UnionRegistration.Status.RECORDED: {"deleted", "revoked"},
}


def registration_decide(
    *,
    actor: User,
    registration: UnionRegistration,
    status: str,
    record_number: str = "",
    record_date=None,
    note: str = "",
) -> UnionRegistration:
    """Move a recording along KEP.16/2001; recording checks the UU 21/2000 thresholds."""
    require(actor, "record_union")
    if status not in _ALLOWED.get(registration.status, set()):
        raise Conflict(
            _("A registration that is %(from)s cannot become %(to)s.")
            % {"from": registration.get_status_display(), "to": status},
            code="bad_transition",
        )
    if status == UnionRegistration.Status.RECORDED:
        if not record_number.strip():
            raise SinergiError(_("Enter the record number (nomor bukti pencatatan)."), field="record_number")
        try:
            check_formation(registration.body.kind, constituents(registration.body), clock.today())
        except RuleError as exc:
            raise SinergiError(exc.message(get_language() or "id"), code=exc.code, field="status")
    with transaction.atomic():
        before = registration.status
        registration.status = status
        if status == UnionRegistration.Status.RECORDED:
            registration.record_number = record_number.strip()
            registration.record_date = record_date or clock.today()
        if note:
            registration.notes = (registration.notes + "\n" + note).strip()
        registration.save()
        audit_transition(actor=actor, obj=registration, from_status=before, to_status=status, note=note)
    return registration


def official_add(
    *, actor: User, body: UnionBody, person, position: str, term_start, term_end=None
) -> UnionOfficial:
    require(actor, "edit_registry")
    if term_end and term_end < term_start:
        raise SinergiError(_("The term cannot end before it starts."), field="term_end")
    with transaction.atomic():
        official = UnionOfficial.objects.create(
            body=body, person=person, position=position, term_start=term_start, term_end=term_end
        )
        audit_create(actor=actor, obj=official)
    return official


# --- memberships ---------------------------------------------------------------------------------


def _membership_conflict(person, body, employer, exclude_pk=None) -> None:
    qs = Membership.objects.filter(person=person, status=Membership.Status.ACTIVE)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.filter(body=body).exists():
        raise Conflict(_("This person is already an active member of this body."), code="already_member")
    if employer is not None:
        other = qs.filter(employer=employer).select_related("body").first()
        if other is not None:
            raise Conflict(
                _(
                    "A worker may belong to only one union in one company (UU 21/2000 Art. 14): "
                    "already a member of %(body)s at this company."
                )
                % {"body": other.body},
                code="one_union_per_company",
            )


def membership_create(
    *,
    actor: User,
    person,
    body: UnionBody,
    employer=None,
    member_number: str = "",
    joined_on=None,
    verified=False,
) -> Membership:
    require(actor, "edit_registry")
    employer = employer if employer is not None else body.employer
    _membership_conflict(person, body, employer)
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                person=person,
                body=body,
                employer=employer,
                member_number=member_number,
                joined_on=joined_on,
                verified=verified,
                verified_on=clock.today() if verified else None,
            )
            audit_create(actor=actor, obj=membership)
            member_counts_recompute(body_ids=[body.pk])
    except IntegrityError:
        raise Conflict(_("This membership conflicts with an existing one."), code="membership_conflict")
    return membership


def membership_update(*, actor: User, membership: Membership, **data) -> Membership:
    require(actor, "edit_registry")
    allowed = {"member_number", "joined_on", "left_on", "status", "verified", "verified_on"}
    unknown = set(data) - allowed
    if unknown:
        raise SinergiError(
            _("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    if data.get("status") == Membership.Status.ACTIVE and membership.status != Membership.Status.ACTIVE:
        _membership_conflict(
            membership.person, membership.body, membership.employer, exclude_pk=membership.pk
        )
    if data.get("status") == Membership.Status.LEFT and not data.get("left_on"):
        data["left_on"] = clock.today()
    if data.get("verified") and not data.get("verified_on"):
        data["verified_on"] = clock.today()
    before = snapshot(membership)
    with transaction.atomic():
        for key, value in data.items():
            setattr(membership, key, value)
        membership.save()
        audit_update(actor=actor, obj=membership, before=before)
        member_counts_recompute(body_ids=[membership.body_id])
    return membership


def member_counts_recompute(*, body_ids=None) -> int:
    """Recompute stored verified member counts, set-based.

    `member_count`: distinct people with an active, verified membership in the body itself.
    `member_count_rollup`: distinct such people anywhere in the body's subtree, so a person in two
    bodies of the same subtree counts once. With `body_ids`, only those bodies and their ancestors
    are recomputed. Rows whose counts are unchanged are not written. Returns rows updated.
    """
    where = ""
    params: list = []
    if body_ids is not None:
        paths = list(UnionBody.objects.filter(pk__in=list(body_ids)).values_list("path", flat=True))
        ancestor_ids = {int(p) for path in paths for p in path.strip("/").split("/") if p}
        if not ancestor_ids:
            return 0
        where = f" AND b.id IN ({','.join(str(i) for i in sorted(ancestor_ids))})"
    body_t, member_t = UnionBody._meta.db_table, Membership._meta.db_table
    own = (
        f"SELECT COUNT(DISTINCT m.person_id) FROM {member_t} m "
        f"WHERE m.body_id = b.id AND m.status = 'active' AND m.verified = %s"
    )
    rollup = (
        f"SELECT COUNT(DISTINCT m.person_id) FROM {member_t} m JOIN {body_t} d ON d.id = m.body_id "
        f"WHERE d.path LIKE b.path || '%%' AND m.status = 'active' AND m.verified = %s"
    )
    # each body's two counts computed once (UPDATE … FROM), and only changed rows written
    sql = (
        f"UPDATE {body_t} SET member_count = c.own, member_count_rollup = c.rollup "
        f"FROM (SELECT b.id AS id, ({own}) AS own, ({rollup}) AS rollup FROM {body_t} b WHERE 1 = 1{where}) c "
        f"WHERE {body_t}.id = c.id AND ({body_t}.member_count <> c.own OR {body_t}.member_count_rollup <> c.rollup)"
    )
    params = [True, True]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def memberships_end(*, actor: User, person, left_on, employer=None, reason: str = "") -> list[int]:
    """End the person's active memberships (those at `employer` only, if given) on `left_on` and
    recompute the member counts of the bodies concerned in the same transaction. Idempotent.
    Returns the ids of the bodies whose membership ended."""
    with transaction.atomic():
        qs = Membership.objects.select_for_update().filter(person=person, status=Membership.Status.ACTIVE)
        if employer is not None:
            qs = qs.filter(employer=employer)
        bodies = []
        for membership in qs:
            before = snapshot(membership, ["status", "left_on"])
            membership.status = Membership.Status.LEFT
            membership.left_on = left_on
            membership.save(update_fields=["status", "left_on", "updated_at"])
            audit_update(actor=actor, obj=membership, before=before, purpose=reason or "membership ended")
            bodies.append(membership.body_id)
        if bodies:
            member_counts_recompute(body_ids=bodies)
    return bodies


def bulk_upsert_memberships_from_stage(
    *, stage: str, body: UnionBody, today, now, people_all_new: bool = False
) -> tuple[int, int]:
    """The member-import's membership writes, set-based, for the unions app owns this table (#18).

    `stage` is a temporary table of validated rows with the columns `nik`, `member_number` and
    `joined_on` (NULL: today); every NIK in it is already a `registry_person` row. Adds an active,
    verified membership of `body` (at the body's company) for each person without one, and updates
    the member number where the file gives a different one. Foreign keys are checked once per
    statement (`sinergi.core.bulksql`). Runs inside the caller's transaction; the caller audits the
    import as a whole and recomputes member counts. Returns (created, updated).

    `people_all_new`: the caller inserted every staged person in this transaction, so their only
    memberships are the ones inserted here, with the file's member numbers: the member-number UPDATE
    (a join of the whole stage) would change nothing and is skipped."""
    # People and employers are registry's (above unions): reach their tables through the foreign keys.
    Person = Membership._meta.get_field("person").related_model  # noqa: N806
    person_t = Person._meta.db_table
    if connection.vendor == "sqlite":
        today, now = today.isoformat(), now.isoformat(sep=" ")
    with connection.cursor() as cursor, bulksql.fk_checks_per_statement(cursor):
        _stage_parents_lock(cursor, stage=stage, body=body, person_t=person_t)
        created = _stage_memberships_insert(
            cursor, stage=stage, body=body, person_t=person_t, today=today, now=now
        )
        updated = (
            0
            if people_all_new
            else _stage_member_numbers_update(cursor, stage=stage, body=body, person_t=person_t, now=now)
        )
    return created, updated


def _stage_parents_lock(cursor, *, stage: str, body: UnionBody, person_t: str) -> None:
    """On PostgreSQL, lock (FOR KEY SHARE) the rows the new memberships point at: the body, its company
    and the staged people; a missing one raises `bulksql.ParentMissing`. SQLite checks them itself."""
    Employer = UnionBody._meta.get_field("employer").related_model  # noqa: N806
    bulksql.parents_locked(
        cursor,
        values_sql="SELECT %s AS k",
        params=[body.pk],
        parent=UnionBody._meta.db_table,
        key="id",
        what="membership body",
    )
    if body.employer_id:
        bulksql.parents_locked(
            cursor,
            values_sql="SELECT %s AS k",
            params=[body.employer_id],
            parent=Employer._meta.db_table,
            key="id",
            what="membership employer",
        )
    bulksql.parents_locked(
        cursor,
        values_sql=f"SELECT p.id AS k FROM {stage} s JOIN {person_t} p ON p.nik = s.nik",
        parent=person_t,
        key="id",
        what="membership person",
    )


def _stage_memberships_insert(cursor, *, stage: str, body: UnionBody, person_t: str, today, now) -> int:
    """An active, verified membership of `body` for every staged person without one; returns the count."""
    member_t = Membership._meta.db_table
    cursor.execute(
        f"INSERT INTO {member_t} (person_id, body_id, employer_id, member_number, joined_on, left_on, "
        f"status, verified, verified_on, created_at, updated_at) "
        f"SELECT p.id, %s, %s, s.member_number, COALESCE(s.joined_on, %s), NULL, 'active', %s, %s, %s, %s "
        f"FROM {stage} s JOIN {person_t} p ON p.nik = s.nik "
        f"WHERE NOT EXISTS (SELECT 1 FROM {member_t} m WHERE m.person_id = p.id AND m.body_id = %s "
        f"AND m.status = 'active')",
        [body.pk, body.employer_id, today, True, today, now, now, body.pk],
    )
    return cursor.rowcount


def _stage_member_numbers_update(cursor, *, stage: str, body: UnionBody, person_t: str, now) -> int:
    """The member number of an active membership where the file gives a different, non-empty one."""
    member_t = Membership._meta.db_table
    cursor.execute(
        f"UPDATE {member_t} AS m SET member_number = s.member_number, updated_at = %s "
        f"FROM {stage} s JOIN {person_t} p ON p.nik = s.nik "
        f"WHERE m.person_id = p.id AND m.body_id = %s AND m.status = 'active' "
        f"AND s.member_number <> '' AND s.member_number <> m.member_number",
        [now, body.pk],
    )
    return cursor.rowcount
