"""The security tests' world and extras, which name an object for every route."""

from tests.api.conftest import api, fast_passwords, private_media, today, world  # noqa: F401  (fixtures)
from tests.plans.conftest import directory  # noqa: F401  (fixture)
from tests.security.conftest import extra, more  # noqa: F401  (fixtures)
