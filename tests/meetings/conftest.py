from tests.aspirations.conftest import world  # noqa: F401 - the same small world
