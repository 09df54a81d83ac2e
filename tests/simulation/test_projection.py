"""Rules the simulation assumes for months no regulation covers yet: only periodically re-announced
parameters, marked provisional, inside the run only."""

import datetime as dt

import pytest

from sinergi.rules import contributions
from sinergi.rules.tables import RuleError
from sinergi.simulation.projection import projected_rules

FAR = dt.date(2031, 6, 1)


def test_the_jp_cap_is_carried_forward_as_provisional_inside_the_block_only():
    table = contributions.JP_WAGE_CAP
    last = max(table.rows, key=lambda r: r.valid_from)
    with pytest.raises(RuleError):
        table.at(FAR)
    with projected_rules(FAR) as projected:
        assert ("JP wage cap", last.valid_to + dt.timedelta(days=1)) in projected
        row = table.at(FAR)
        assert row.value == last.value and row.provisional
    with pytest.raises(RuleError):
        table.at(FAR)


def test_temporary_reliefs_are_never_extended():
    relief = contributions.JKM_RELIEF
    rows = relief.rows
    with projected_rules(FAR) as projected:
        assert relief.rows == rows
        assert all(name != relief.name for name, _since in projected)
