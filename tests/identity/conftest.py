import pytest

from tests.idp.oidc import running_oidc_idp
from tests.idp.saml import running_saml_idp


@pytest.fixture(autouse=True)
def _local_providers(settings):
    settings.IDENTITY_ALLOW_HTTP_LOCALHOST = True


@pytest.fixture(scope="module")
def oidc_idp():
    with running_oidc_idp() as idp:
        yield idp


@pytest.fixture(scope="module")
def saml_idp():
    with running_saml_idp() as idp:
        yield idp


@pytest.fixture(autouse=True)
def _fresh_providers(request):
    """Each test starts with providers that behave, whatever the one before set."""
    for name in ("oidc_idp", "saml_idp"):
        if name in request.fixturenames:
            request.getfixturevalue(name).reset()
