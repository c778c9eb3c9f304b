"""A real Celery worker in a subprocess, for tests where a worker matters."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def celery_worker(*, database_url: str | None = None, timeout: float = 60):
    env = dict(os.environ)
    if database_url:
        env["DATABASE_URL"] = database_url
    hostname = f"test-{os.getpid()}@localhost"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--hostname",
            hostname,
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + timeout
        while not celery_app.control.ping(destination=[hostname], timeout=1):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Celery worker did not start")
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)
