"""Refuse an uploaded file as soon as it passes the size limit, before it fills the disk.

DATA_UPLOAD_MAX_MEMORY_SIZE does not cover files, so without this a huge upload
would be written to a temporary file in full before any view could say no.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


def size_text(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB" if size >= 1024 * 1024 else f"{size / 1024:g} KB"


class FileTooLarge(RequestDataTooBig):
    def __init__(self, limit: int):
        super().__init__(f"上传的文件超过 {size_text(limit)} 的上限,未予保存。")


class SizeLimitedUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: counts each file's bytes and stops the request past UPLOAD_MAX_BYTES."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            raise FileTooLarge(settings.UPLOAD_MAX_BYTES)
        return raw_data

    def file_complete(self, file_size):
        return None
