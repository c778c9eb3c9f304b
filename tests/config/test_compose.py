"""compose.yaml starts every service the application's defaults point at."""

from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _default(value: str) -> str:
    # "${EMAIL_URL:-smtp://mail:25}" → "smtp://mail:25"
    if value.startswith("${") and ":-" in value:
        return value[value.index(":-") + 2 : -1]
    return value


def test_every_host_the_app_is_pointed_at_is_a_compose_service():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    environment = compose["x-app"]["environment"]
    hosts = {
        name: urlsplit(_default(environment[name])).hostname for name in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL")
    }
    assert hosts == {"DATABASE_URL": "db", "REDIS_URL": "redis", "EMAIL_URL": "mail"}
    assert set(hosts.values()) <= set(compose["services"])
    assert compose["services"]["mail"]["environment"]["MP_SMTP_BIND_ADDR"].endswith(
        f":{urlsplit(_default(environment['EMAIL_URL'])).port}"
    )
