"""Coverage reads, every one scoped to the user (sponsor: the people it pays for; union official:
their members' coverage only; agency/branch: their region)."""

from sinergi.coverage.facts import CoverageFacts, coverage_facts, coverage_facts_bulk  # noqa: F401
