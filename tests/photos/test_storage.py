"""The local store: sharded content addresses, all-or-nothing writes, limits enforced while streaming."""

import hashlib
import os

import pytest

from app.errors import PayloadTooLarge
from app.storage import LocalPhotoStore

SHA = hashlib.sha256(b"original bytes").hexdigest()


def received(store: LocalPhotoStore, data: bytes, max_bytes: int = 1 << 20):
    upload = store.receive(max_bytes)
    for i in range(0, len(data), 7):
        upload.write(data[i : i + 7])
    upload.finish()
    return upload


def test_files_live_at_sharded_content_addresses(tmp_path):
    store = LocalPhotoStore(tmp_path)
    upload = received(store, b"original bytes")
    assert upload.sha256 == SHA and upload.size == 14
    store.save(SHA, upload, {"display": b"D", "thumb": b"T"})
    assert (tmp_path / "original" / SHA[:2] / SHA[2:4] / SHA).read_bytes() == b"original bytes"
    assert (tmp_path / "display" / SHA[:2] / SHA[2:4] / f"{SHA}.jpg").read_bytes() == b"D"
    assert b"".join(store.read(SHA, "thumb")) == b"T"
    assert os.listdir(tmp_path / "tmp") == []  # the upload was renamed into place, not copied


def test_saving_again_is_harmless_and_keeps_the_first_bytes(tmp_path):
    store = LocalPhotoStore(tmp_path)
    store.save(SHA, received(store, b"original bytes"), {"display": b"D", "thumb": b"T"})
    again = received(store, b"original bytes")
    store.save(SHA, again, {"display": b"D", "thumb": b"T"})
    again.discard()
    assert store.size(SHA, "original") == 14
    assert os.listdir(tmp_path / "tmp") == []


def test_a_failed_rename_leaves_no_file_at_an_address_and_no_temporary(tmp_path, monkeypatch):
    store = LocalPhotoStore(tmp_path)
    upload = received(store, b"original bytes")
    real_replace = os.replace

    def crash(src, dst):
        if str(dst).endswith(".jpg") and "thumb" in str(dst):
            raise OSError("disk gone")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk gone"):
        store.save(SHA, upload, {"display": b"D", "thumb": b"T"})
    upload.discard()
    assert not store.has(SHA, "thumb")
    assert [p.name for p in (tmp_path / "tmp").iterdir()] == []
    monkeypatch.setattr(os, "replace", real_replace)
    store.save(SHA, received(store, b"original bytes"), {"display": b"D", "thumb": b"T"})  # the retry
    assert all(store.has(SHA, kind) for kind in ("original", "display", "thumb"))


def test_an_upload_past_the_limit_stops_at_once_and_leaves_nothing(tmp_path):
    store = LocalPhotoStore(tmp_path)
    upload = store.receive(max_bytes=10)
    upload.write(b"12345")
    with pytest.raises(PayloadTooLarge, match="larger than"):
        upload.write(b"678901")
    assert upload.size == 5
    upload.discard()
    assert os.listdir(tmp_path / "tmp") == []


@pytest.mark.parametrize("address", ["../../etc/passwd", "ABC", SHA.upper(), SHA + "0"])
def test_only_sha256_hex_is_an_address(tmp_path, address):
    with pytest.raises(ValueError):
        LocalPhotoStore(tmp_path).path(address, "original")
