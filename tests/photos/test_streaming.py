"""The upload is read chunk by chunk and refused at the first chunk over the limit, whatever the headers say."""

import asyncio
import os

import pytest

from app.errors import PayloadTooLarge
from app.routers.photos import receive_upload
from app.storage import LocalPhotoStore

BOUNDARY = "b0undary"


class FakeRequest:
    """What receive_upload uses of a Starlette request: headers and the body as a stream of chunks."""

    def __init__(self, chunks: list[bytes], headers: dict[str, str]):
        self.chunks = chunks
        self.headers = headers
        self.consumed = 0

    async def stream(self):
        for chunk in self.chunks:
            self.consumed += 1
            yield chunk


def body(size: int, chunk: int = 65536) -> list[bytes]:
    head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n'.encode()
    data = os.urandom(size)
    tail = f'\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name="lat"\r\n\r\n30\r\n--{BOUNDARY}--\r\n'
    return [head, *(data[i : i + chunk] for i in range(0, size, chunk)), tail.encode()]


def multipart() -> dict[str, str]:
    return {"content-type": f"multipart/form-data; boundary={BOUNDARY}"}


def test_reading_stops_at_the_first_chunk_over_the_limit(tmp_path):
    request = FakeRequest(body(2 * 2**20), multipart())  # 32 chunks of 64 KiB, no Content-Length
    with pytest.raises(PayloadTooLarge):
        asyncio.run(receive_upload(request, LocalPhotoStore(tmp_path), max_bytes=256 * 1024))
    assert request.consumed <= 6  # head + 4 chunks of 64 KiB fill the limit; the next one is refused
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_declared_length_over_the_limit_is_refused_before_reading(tmp_path):
    request = FakeRequest(body(1000), multipart() | {"content-length": str(50 * 2**20)})
    with pytest.raises(PayloadTooLarge):
        asyncio.run(receive_upload(request, LocalPhotoStore(tmp_path), max_bytes=2**20))
    assert request.consumed == 0


def test_within_the_limit_the_file_is_on_disk_hashed_and_the_fields_read(tmp_path):
    chunks = body(300_000, chunk=1000)  # many small network reads, parts split across them
    upload, fields = asyncio.run(
        receive_upload(FakeRequest(chunks, multipart()), LocalPhotoStore(tmp_path), 2**20)
    )
    try:
        assert upload.size == 300_000 and len(upload.sha256) == 64
        assert upload.path.read_bytes() == b"".join(chunks[1:-1])
        assert fields == {"lat": "30"}
    finally:
        upload.discard()
