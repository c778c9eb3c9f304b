from config.celery import ping
from tests.conftest import needs_redis
from tests.worker import celery_worker


@needs_redis
def test_a_real_worker_answers_through_redis():
    with celery_worker():
        assert ping.delay().get(timeout=30) == "pong"
