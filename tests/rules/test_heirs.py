"""Heir priority (DOMAIN.md §2.6): table-driven and a property test that the order is respected."""

from hypothesis import given
from hypothesis import strategies as st

from sinergi.rules.heirs import FUND_RANK, Relative, propose_heirs, rank_of


def test_spouse_first_then_children():
    family = [
        Relative("1", "Anak", "child"),
        Relative("2", "Istri", "spouse"),
        Relative("3", "Ibu", "parent"),
    ]
    proposal = propose_heirs(family)
    assert proposal.rank == 1
    assert [h.name for h in proposal.heirs] == ["Istri"]
    assert any("Ibu" in en and "after rank 1" in en for en, _id in proposal.reasons)


def test_children_when_spouse_deceased():
    family = [
        Relative("2", "Suami", "spouse", alive=False),
        Relative("1", "A", "child"),
        Relative("3", "B", "child"),
    ]
    proposal = propose_heirs(family)
    assert proposal.rank == 2
    assert [h.name for h in proposal.heirs] == ["A", "B"]


def test_group_two_order_then_fund():
    assert (
        propose_heirs([Relative("1", "Mertua", "parent_in_law"), Relative("2", "Adik", "sibling")]).rank == 4
    )
    assert propose_heirs([Relative("1", "Kakek", "grandparent"), Relative("2", "Adik", "sibling")]).rank == 3
    nobody = propose_heirs([Relative("1", "Teman", "other")])
    assert nobody.rank == FUND_RANK and nobody.to_fund and nobody.heirs == []


relation = st.sampled_from(
    ["spouse", "child", "parent", "grandparent", "grandchild", "sibling", "parent_in_law", "other"]
)


@given(st.lists(st.tuples(relation, st.booleans()), max_size=8))
def test_property_no_living_relative_outranks_the_proposed_heirs(rows):
    family = [Relative(str(i), f"r{i}", rel, alive) for i, (rel, alive) in enumerate(rows)]
    proposal = propose_heirs(family)
    living_ranks = [rank_of(r.relation) for r in family if r.alive and rank_of(r.relation)]
    if not living_ranks:
        assert proposal.to_fund
        return
    assert proposal.rank == min(living_ranks)
    assert proposal.heirs and all(h.alive and rank_of(h.relation) == proposal.rank for h in proposal.heirs)
    assert len(proposal.heirs) == living_ranks.count(proposal.rank)
