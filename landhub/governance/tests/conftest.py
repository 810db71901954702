import pytest


@pytest.fixture
def gov(world):
    from landhub.governance.testing import make_governance

    return make_governance(world)
