
from tests.api.conftest import api, fast_passwords, private_media, today, world  # noqa: F401  (fixtures)

