"""Make sure the bench database exists, is migrated and holds the seeded data set.

Creates `duban_bench` when it is missing, migrates it, and runs the generator when it
holds no plans. A database that already holds data is left as it is, so reruns
compare like with like (the generator is seeded: regenerating gives the same rows).

    .venv/bin/python bench/ensure_db.py [--regenerate]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/duban_bench"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regenerate", action="store_true", help="drop the bench database and generate it again")
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.endswith("bench"):
        raise SystemExit(f"refusing to touch {name!r}: the bench database's name must end in 'bench'")

    import psycopg

    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and args.regenerate:
            print(f"dropping {name}", flush=True)
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            print(f"creating {name}", flush=True)
            conn.execute(f'CREATE DATABASE "{name}"')

    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": url}
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True)
    with psycopg.connect(url) as conn:
        plans = conn.execute("SELECT count(*) FROM plans_plan").fetchone()[0]
    if plans:
        print(f"{name}: {plans} plans already there, kept", flush=True)
        return
    print(f"{name}: empty, generating the seeded data set (about a minute)", flush=True)
    subprocess.run([python, "bench/datagen.py"], cwd=ROOT, env=env, check=True)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


if __name__ == "__main__":
    main()
