import pytest

from sinergi.core import clock
from tests.eorder.factories import ceilings
from tests.factories import UnionBodyFactory


@pytest.fixture
def world(make_user):
    """An agency (two officers), a union body with its official, 2021 ceilings, the clock on 4 Jan 2021."""
    clock.set_now("2021-01-04T08:00")
    officer = make_user("agency_officer", region="31")
    second = make_user("agency_officer", org=officer.organisation)
    body = UnionBodyFactory(region_id="31")
    union = make_user("union_official", region="31", union_body=body)
    ceilings(officer.organisation, 2021, officer)
    yield type(
        "W",
        (),
        {"officer": officer, "second": second, "body": body, "union": union, "agency": officer.organisation},
    )
    clock.reset()
