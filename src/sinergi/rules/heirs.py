"""Heirs (ahli waris) of a deceased participant in legal priority order (DOMAIN.md §2.6).

Basis: PP 44/2015 as amended by PP 82/2019 and Permenaker 5/2021 (the same structure as PP 53/2012
Art. 22). Group 1 is the widow/widower or the children; only when there is none do the group-2 ranks
apply in order: straight-line blood relatives to the 2nd degree, siblings, parents-in-law, a person
named in a will; with nobody, the funeral cost goes to whoever arranged the funeral and the rest to the
social-security fund. Within group 1 the spouse is proposed as payee before the children (WE-6).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sinergi.rules.tables import Param

HEIRS_BASIS = Param(
    None,
    __import__("datetime").date(2015, 7, 1),
    None,
    "PP 44/2015 jo. PP 82/2019; Permenaker 5/2021 (bandingkan PP 53/2012 Pasal 22)",
    "V",
)

# rank, relations, English, Indonesian
RANKS: tuple[tuple[int, frozenset[str], str, str], ...] = (
    (1, frozenset({"spouse"}), "widow or widower (group 1)", "janda atau duda (golongan 1)"),
    (2, frozenset({"child"}), "child (group 1)", "anak (golongan 1)"),
    (
        3,
        frozenset({"parent", "grandparent", "grandchild"}),
        "blood relative in the straight line to the 2nd degree (group 2a)",
        "keturunan sedarah garis lurus ke atas/ke bawah sampai derajat kedua (golongan 2a)",
    ),
    (4, frozenset({"sibling"}), "sibling (group 2b)", "saudara kandung (golongan 2b)"),
    (5, frozenset({"parent_in_law"}), "parent-in-law (group 2c)", "mertua (golongan 2c)"),
    (
        6,
        frozenset({"will"}),
        "person named in the will (group 2d)",
        "pihak yang ditunjuk dalam wasiat (golongan 2d)",
    ),
)
FUND_RANK = 7


def rank_of(relation: str) -> int | None:
    for rank, relations, _en, _id in RANKS:
        if relation in relations:
            return rank
    return None


def rank_label(rank: int, language: str = "id") -> str:
    for r, _rel, en, id_ in RANKS:
        if r == rank:
            return id_ if language.startswith("id") else en
    if rank == FUND_RANK:
        return (
            "tidak ada ahli waris: biaya pemakaman kepada yang mengurus, sisanya ke Dana Jaminan Sosial"
            if language.startswith("id")
            else "no heir: funeral cost to whoever arranged it, the rest to the social-security fund"
        )
    return "-"


@dataclass(frozen=True)
class Relative:
    key: str
    name: str
    relation: str
    alive: bool = True


@dataclass
class HeirProposal:
    rank: int
    heirs: list[Relative]
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (English, Indonesian) per relative

    @property
    def to_fund(self) -> bool:
        return self.rank == FUND_RANK


def propose_heirs(relatives: list[Relative]) -> HeirProposal:
    """The living relatives of the best (lowest) rank, with the reason for each relative considered."""
    reasons: list[tuple[str, str]] = []
    best: int | None = None
    for rel in relatives:
        rank = rank_of(rel.relation)
        if rank is None:
            reasons.append(
                (f"{rel.name}: not an heir by relation", f"{rel.name}: bukan ahli waris menurut hubungan")
            )
            continue
        if not rel.alive:
            reasons.append((f"{rel.name}: deceased", f"{rel.name}: sudah meninggal"))
            continue
        if best is None or rank < best:
            best = rank
    if best is None:
        reasons.append((rank_label(FUND_RANK, "en"), rank_label(FUND_RANK, "id")))
        return HeirProposal(FUND_RANK, [], reasons)
    heirs = [r for r in relatives if r.alive and rank_of(r.relation) == best]
    for rel in relatives:
        rank = rank_of(rel.relation)
        if rank is None or not rel.alive:
            continue
        if rank == best:
            reasons.append(
                (
                    f"{rel.name}: {rank_label(rank, 'en')}, highest rank present",
                    f"{rel.name}: {rank_label(rank, 'id')}, urutan tertinggi yang ada",
                )
            )
        else:
            reasons.append(
                (
                    f"{rel.name}: {rank_label(rank, 'en')}, after rank {best}",
                    f"{rel.name}: {rank_label(rank, 'id')}, setelah urutan {best}",
                )
            )
    return HeirProposal(best, heirs, reasons)
