import pytest

from sinergi.core import clock


@pytest.fixture(autouse=True)
def _in_the_2025_program_year():
    """Programs close at the end of their year (issue 10): these tests work inside the 2025 round,
    with the aid distribution held two days earlier (inside its hand-over window)."""
    with clock.travel("2025-06-16"):
        yield
