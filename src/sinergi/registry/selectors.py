"""Reads for people, families and employers, always scoped to what the user may see (`user_scope`).

Agency and leadership: people domiciled in their region; social security branch: its service area
(for both, also the people with a social security participation registered there);
union official: people with an active membership in their body or below; sponsor: people whose
participation it pays for (once coverage records sponsors). Merged records are hidden.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.db import connections, router
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.db.models.sql.where import WhereNode
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.roles import can
from sinergi.accounts.scoping import user_scope
from sinergi.core import clock
from sinergi.core.compiled import CompiledPages
from sinergi.core.errors import NotFound
from sinergi.core.home import data_version, filters_key, kept_count, scope_key
from sinergi.core.models import AuditEntry
from sinergi.registry.models import DuplicateCandidate, Employer, Employment, FamilyMember, Person
from sinergi.registry.normalize import name_key
from sinergi.unions.models import Membership, UnionBody

if TYPE_CHECKING:
    from sinergi.accounts.models import User


def _sponsored_people_q(sponsor_id: int) -> Q:
    """People whose participation `sponsor_id` pays for, through coverage's `participations` relation
    (looked up on Person._meta at call time, so the registry does not import coverage)."""
    rel = next((r for r in Person._meta.related_objects if r.get_accessor_name() == "participations"), None)
    if rel is None or not any(f.name == "sponsor_organisation" for f in rel.related_model._meta.fields):
        return Q(pk__in=[])
    paid = rel.related_model._default_manager.filter(sponsor_organisation_id=sponsor_id)
    return Q(pk__in=paid.values(rel.field.attname))


def person_scope_q(user: User) -> Q | None:
    """The Q restricting Person rows to the user's scope; None means everything."""
    scope = user_scope(user)
    if scope.is_global:
        return None
    if scope.is_union:
        if not scope.union_body_ids:
            return Q(pk__in=[])
        members = Membership.objects.filter(
            body_id__in=scope.union_body_ids, status=Membership.Status.ACTIVE
        ).values("person_id")
        return Q(pk__in=members)
    if scope.sponsor_id is not None:  # scope.is_sponsor
        return _sponsored_people_q(scope.sponsor_id)
    return scope.region_q("domicile_region__code") | _participating_people_q(scope)


class _AnyOf(Func):
    """`column = ANY(ARRAY(subquery))` (PostgreSQL): a condition an index can serve, unlike `IN` under OR."""

    arg_joiner = " = ANY("
    template = "%(expressions)s)"
    output_field = BooleanField()


def _participating_people_q(scope) -> Q:
    """People with a social security participation registered in the scope's regions (a worker living
    outside a branch's area but working inside it is the branch's participant): the person's page
    answers wherever the participation is listed (issue 12: a list row never points to a 404)."""
    rel = next((r for r in Person._meta.related_objects if r.get_accessor_name() == "participations"), None)
    if rel is None or not any(f.name == "region" for f in rel.related_model._meta.fields):
        return Q(pk__in=[])
    rows = rel.related_model._default_manager.filter(scope.region_q("region__code"))
    column = rel.field.attname
    if all(len(p) <= 2 for p in scope.region_prefixes):
        # A province (or wider): nearly every person walked lives inside, so a correlated EXISTS, probed
        # through the participation's person index only for a row whose domicile is outside, costs
        # nothing on a page. `pk IN (subquery)` under an OR cannot become a semi-join: PostgreSQL
        # hashes every participation of the province per query or, when that hash exceeds work_mem
        # (600,000 participations do), plans a re-scanned subquery costed in billions and starts
        # parallel workers for a 51-row page (issue #16: 24 ms + worker start-up instead of 0.3 ms).
        return Q(Exists(rows.filter(**{column: OuterRef("pk")})))
    if connections[rows.db].vendor == "postgresql":
        # A regency or district: few participations. `id = ANY(ARRAY(subquery))` is an index
        # condition, so PostgreSQL ORs the domicile index with the primary key (BitmapOr) instead of
        # walking a million people to find the few hundred in scope (4.7 s -> 0.2 ms for an office
        # with no people in a 1M registry).
        from django.contrib.postgres.expressions import ArraySubquery

        return Q(_AnyOf(F("pk"), ArraySubquery(rows.order_by().values(column))))
    return Q(pk__in=rows.values(column))


# The order of people lists and their keyset pages: `sort_name` is the name itself (served by the index
# registry_person_name_id), or, under a name search, an expression equal to it (see name_search).
SORT_KEYS = ("sort_name", "pk")


def name_search(qs, text: str):
    """People whose normalised name contains every token of `text`'s normalised form (old spellings and
    variants match: 'Soekarno' finds 'Sukarno', 'Djoko' finds 'Joko'), through an index: on PostgreSQL
    `name_key LIKE '%token%'` is served by the pg_trgm GIN index; on SQLite tokens of three letters or
    more go to the FTS5 trigram table (migration 0004), shorter ones stay a LIKE."""
    tokens = name_key(text).split()
    if not tokens:
        return qs
    # Page the matches by an expression equal to the name, so the planner reads the matches from the
    # search index and sorts them, instead of walking the (name, id) index until 51 rows match (which
    # for 'siti' walks every name from A to S). See SORT_KEYS.
    qs = qs.annotate(sort_name=Concat(F("name"), Value("")))
    if connections[qs.db].vendor == "sqlite":
        long = [t for t in tokens if len(t) >= 3]
        if long:
            match = " AND ".join(f'"{t}"' for t in long)
            qs = qs.filter(
                pk__in=RawSQL(
                    "SELECT rowid FROM registry_person_fts WHERE registry_person_fts MATCH %s", [match]
                )
            )
        tokens = [t for t in tokens if len(t) < 3]
    for token in tokens:
        qs = qs.filter(name_key__contains=token)
    return qs


# At most this many walks may read a searched name (person_search_narrow): the words that contain a
# token, or for two tokens the words and pairs of words that contain both; a name needing more pages
# through the trigram index.
WORD_WALKS = 32


def person_search_narrow(*, user: User, filters=None):
    """How a name search's page is read without sorting every match (PostgreSQL, `keyset_page(narrow=…)`),
    or None when the page reads the matches through the trigram index as before.

    The people whose name contains a token are the people of the words that contain it (migration
    registry 0006: `registry_name_word` finds the words, `registry_person_word` lists each word's people
    in the order (name, id)). The people whose name contains two tokens are the people of a word that
    contains both, or of a pair of two different words, one containing each (0007:
    `registry_person_word_pair`). For each word or pair, the walk from the cursor keeps the people of
    the list (the scope and every filter, checked person by person) and stops at the page's size: every
    person of the page is among the first `limit` of one of the walks, so the page is read from at most
    `limit` × walks people instead of every match (20,000 for "siti" in a million).

    Used for one or two tokens of three letters or more, under a global or province-wide scope, without
    other filters: a walk checks the people of a word one by one, which costs little only where nearly
    every person of the word is in the list. Under a narrow scope (a regency, a union body) or another
    filter most of them are not, and a walk would check thousands to fill a page: those keep the trigram
    index, as do three tokens and more."""
    filters = filters or {}
    if connections[router.db_for_read(Person)].vendor != "postgresql":
        return None
    if any(v not in (None, "", False) for k, v in filters.items() if k != "q"):
        return None
    text = str(filters.get("q") or "").strip()
    compact = text.replace(" ", "").replace(".", "")
    tokens = name_key(text).split()
    if compact.isdigit() or not 1 <= len(tokens) <= 2 or any(len(token) < 3 for token in tokens):
        return None
    scope = user_scope(user)
    wide = scope.is_global or (
        scope.region_prefixes
        and all(len(p) <= 2 for p in scope.region_prefixes)
        and not (scope.is_union or scope.is_sponsor)
    )
    if not wide:
        return None

    def narrow(qs, cursor: tuple | None, forward: bool, limit: int):
        # the walks check each person against the list's conditions only (not the page's joins)
        conditions = person_list(user=user, filters=filters).select_related(None)
        return _word_walks(qs, conditions, tokens, cursor, forward, limit)

    return narrow


# a word of registry_name_word as the walks' SQL may spell it (name_key keeps letters and spaces only)
_WORD = re.compile("[a-z]+")


def _words_containing(cur, token: str) -> list[str] | None:
    """The words of the registry that contain `token`, or None when more than WORD_WALKS do (or one is not
    letters only)."""
    pattern = "%" + token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    cur.execute(
        "SELECT word FROM registry_name_word WHERE word LIKE %s ORDER BY word LIMIT %s",
        [pattern, WORD_WALKS + 1],
    )
    words = [row[0] for row in cur.fetchall()]
    if len(words) > WORD_WALKS or not all(_WORD.fullmatch(word) for word in words):
        return None
    return words


def _word_walks(qs, conditions, tokens: list[str], cursor: tuple | None, forward: bool, limit: int):
    """`qs` restricted to the first `limit` people of `conditions` (the same rows as `qs`) after (or
    before) `cursor` of each word, or pair of words, that contains the `tokens` (see
    person_search_narrow); `qs` itself when that takes more than WORD_WALKS walks."""
    found: list[list[str]] = []
    with connections[qs.db].cursor() as cur:
        for token in tokens:
            words = _words_containing(cur, token)
            if words is None:
                return qs
            found.append(words)
    if len(found) == 1:
        singles, pairs = found[0], []
    else:
        both = set(found[1])
        singles = [word for word in found[0] if word in both]
        pairs = sorted({(min(a, b), max(a, b)) for a in found[0] for b in found[1] if a != b})
    if len(singles) + len(pairs) > WORD_WALKS:
        return qs
    if not singles and not pairs:
        return qs.none()
    # the list's own conditions, for one person of a walk (its SQL refers to the walk's row `pw`); OFFSET 0
    # keeps it a check per row: as a semi-join PostgreSQL would read every match of the list first
    probe = conditions.order_by().values("pk").filter(pk=RawSQL('"pw"."person_id"', []))
    probe_sql, probe_params = probe.query.get_compiler(using=qs.db).as_sql()
    probe_sql += " OFFSET 0"
    direction = "" if forward else " DESC"
    seek = (" AND (pw.name, pw.person_id) " + (">" if forward else "<") + " (%s, %s)") if cursor else ""
    # The people of a word (or pair) after the cursor that pass the probe, in list order, up to the limit.
    walk = (
        seek
        + f" AND EXISTS ({probe_sql}) ORDER BY pw.name{direction}, pw.person_id{direction} LIMIT {int(limit)}"
    )
    walk_params = [*(cursor or ()), *probe_params]
    # One walk per word (pair), as a LATERAL subquery planned once for all the words (pairs). The words
    # (letters only, checked above) and the limit are written into the SQL, every other value is a
    # parameter: with them the planner knows how many walks there are and where each stops, so a prepared
    # statement's generic plan costs what the custom one does and PostgreSQL keeps it instead of planning
    # every request (0.46 of 1.0 ms per search under load, issue #16).
    parts, params = [], []
    if singles:
        values = ", ".join(f"('{word}')" for word in singles)
        parts.append(
            f"SELECT walk.person_id FROM (VALUES {values}) AS w(word) CROSS JOIN LATERAL ("  # noqa: S608
            f"SELECT pw.person_id FROM registry_person_word pw WHERE pw.word = w.word{walk}) AS walk"
        )
        params += walk_params
    if pairs:
        values = ", ".join(f"('{a}', '{b}')" for a, b in pairs)
        parts.append(
            f"SELECT walk.person_id FROM (VALUES {values}) AS w(a, b) CROSS JOIN LATERAL ("  # noqa: S608
            "SELECT pw.person_id FROM registry_person_word_pair pw"
            f" WHERE pw.word_a = w.a AND pw.word_b = w.b{walk}) AS walk"
        )
        params += walk_params
    # Every candidate already passed the list's conditions in its walk: the page query reads the
    # candidates by primary key and sorts them, without the conditions again (planning them twice cost
    # as much as running the walks). Joins stay: they give the page's columns.
    page = qs._chain()
    page.query.where = WhereNode()
    return page.filter(pk__in=RawSQL(" UNION ALL ".join(parts), params))  # noqa: S611


# Built and compiled people pages, per thread (core.compiled.CompiledPages): the API's list asks the
# same pages of the same scope again and again.
PERSON_PAGES = CompiledPages()


def person_page_source(*, user: User, filters=None):
    """(key, queryset) of `person_list(user, filters)` for a page (the key's fifth part is the data version,
    for `person_count_through(version=…)`): the key names everything its SQL
    depends on (the scope, the filters, the day, the data version: building reads a union body's path),
    and the queryset is built once per key (`PERSON_PAGES`). Pass the key's rows to
    `PERSON_PAGES.rows` with the page's own inputs (cursor, size)."""
    alias = router.db_for_read(Person)
    version = data_version()
    key = ("registry.people", alias, scope_key(user), clock.today(), version, filters_key(filters))
    return key, PERSON_PAGES.base(key, lambda: person_list(user=user, filters=filters))


def person_count_through(*, user: User, filters=None, version: int | None = None):
    """How a people list keeps its capped count between requests (`keyset_page(count_through=…)`): under
    the user's scope and the filters, until the next audited write (`core.home.kept_count`). Paging on
    through a list, and colleagues opening the same list, do not count a province again."""
    return kept_count(user, "registry.people.count", filters, version=version)


def person_list(*, user: User, filters=None, include_merged: bool = False):
    """People the user may see, filtered by `filters` (a dict or QueryDict):

    q (NIK exact when 16 digits, otherwise name, tolerant of spelling), region (code prefix),
    body (union body id, its subtree), employer (id), employment (formal/informal/none),
    vulnerable ("1"), sex (M/F).
    """
    qs = Person.objects.select_related("domicile_region").annotate(sort_name=F("name"))
    q = person_scope_q(user)
    if q is not None:
        qs = qs.filter(q)
    if not include_merged:
        qs = qs.filter(merged_into__isnull=True)
    filters = filters or {}
    text = str(filters.get("q") or "").strip()
    if text:
        compact = text.replace(" ", "").replace(".", "")
        if compact.isdigit() and len(compact) == 16:
            qs = qs.filter(nik=compact)
        elif compact.isdigit():
            qs = qs.filter(
                Q(kk_number=compact)
                | Q(pk__in=Membership.objects.filter(member_number=compact).values("person_id"))
            )
        else:
            qs = name_search(qs, text)
    region = str(filters.get("region") or "").strip().replace(".", "")
    if region:
        qs = qs.filter(domicile_region__code__startswith=region)
    if filters.get("body"):
        body = UnionBody.objects.filter(pk=filters["body"]).first()
        members = Membership.objects.filter(
            body__path__startswith=body.path if body else "-", status=Membership.Status.ACTIVE
        ).values("person_id")
        qs = qs.filter(pk__in=members)
    if filters.get("employer"):
        qs = qs.filter(
            pk__in=Employment.objects.filter(employer_id=filters["employer"], end_date__isnull=True).values(
                "person_id"
            )
        )
    if filters.get("employment") in Person.EmploymentType.values:
        qs = qs.filter(employment_type=filters["employment"])
    if str(filters.get("vulnerable") or "") in ("1", "true", "on"):
        qs = qs.filter(is_vulnerable=True)
    if filters.get("sex") in ("M", "F"):
        qs = qs.filter(sex=filters["sex"])
    return qs


def person_get(*, user: User, pk) -> Person:
    """One person in scope (merged records too, so old links still resolve), else NotFound."""
    person = person_list(user=user, include_merged=True).filter(pk=pk).first()
    if person is None:
        raise NotFound(_("Person not found, or outside your scope."))
    return person


def family_list(*, user: User, person=None):
    people = person_list(user=user, include_merged=True).values("pk")
    qs = FamilyMember.objects.filter(person_id__in=people).select_related("relative")
    return qs.filter(person=person) if person is not None else qs


def employer_list(*, user: User, filters=None):
    """Employers the user may see: by the employer's region; a union official: companies of their
    workplace units and of their members' memberships; sponsors none."""
    scope = user_scope(user)
    qs = Employer.objects.select_related("region")
    if scope.is_global:
        pass
    elif scope.is_union:
        ids = scope.union_body_ids or frozenset()
        qs = qs.filter(
            Q(union_units__id__in=ids)
            | Q(pk__in=Membership.objects.filter(body_id__in=ids).values("employer_id"))
        ).distinct()
    elif scope.is_sponsor:
        qs = qs.none()
    else:
        qs = qs.filter(scope.region_q("region__code"))
    filters = filters or {}
    text = str(filters.get("q") or "").strip()
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(nib=text) | Q(npwp=text))
    region = str(filters.get("region") or "").strip().replace(".", "")
    if region:
        qs = qs.filter(region__code__startswith=region)
    if filters.get("size") in Employer.Size.values:
        qs = qs.filter(size=filters["size"])
    return qs


def employer_get(*, user: User, pk) -> Employer:
    employer = employer_list(user=user).filter(pk=pk).first()
    if employer is None:
        raise NotFound(_("Employer not found, or outside your scope."))
    return employer


def duplicate_list(*, user: User, status="open"):
    """Candidate pairs where the user may see both people."""
    people = person_list(user=user, include_merged=True).values("pk")
    qs = DuplicateCandidate.objects.filter(person_a_id__in=people, person_b_id__in=people).select_related(
        "person_a", "person_b"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-score", "pk")


def person_history(*, user: User, person: Person):
    """The correction history of a person (UU 27/2022): every audit entry on the person's record, their
    family members, employments and memberships, newest first. Personal values in it are masked (the
    audit log stores them masked)."""
    if not can(user, "export_subject_data"):
        return AuditEntry.objects.none()
    q = Q(object_type="registry.person", object_id=str(person.pk))
    for label, pks in (
        ("registry.familymember", FamilyMember.objects.filter(person=person).values_list("pk", flat=True)),
        ("registry.employment", Employment.objects.filter(person=person).values_list("pk", flat=True)),
        ("unions.membership", Membership.objects.filter(person=person).values_list("pk", flat=True)),
    ):
        ids = [str(i) for i in pks]
        if ids:
            q |= Q(object_type=label, object_id__in=ids)
    return AuditEntry.objects.filter(q).select_related("actor").order_by("-created_at", "-pk")
