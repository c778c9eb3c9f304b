import io

import pytest
from rest_framework.test import APIClient

from plans.models import PlanImport

pytestmark = pytest.mark.django_db


def test_an_upload_past_the_limit_is_refused_before_it_is_stored(personas, settings, tmp_path):
    settings.UPLOAD_MAX_BYTES = 256 * 1024
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    client = APIClient()
    client.force_authenticate(personas.supervisor)
    big = io.BytesIO(b"a" * (1024 * 1024))
    big.name = "big.txt"
    response = client.post("/api/v1/imports/", {"file": big}, format="multipart")
    assert response.status_code == 413
    assert response.json() == {"detail": "上传的文件超过 256 KB 的上限,未予保存。", "code": "file_too_large"}
    assert PlanImport.objects.count() == 0
    assert list(tmp_path.iterdir()) == []  # nothing was spooled to disk
