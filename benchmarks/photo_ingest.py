"""Ingest of a 12-megapixel, ~4 MB phone JPEG on one core, against the naive full-decode pipeline.

    .venv/bin/python -m benchmarks.photo_ingest [--runs N]      (BENCH_CPU=n picks the core; default the first)

Both variants run the real service, app.services.photos.ingest, on a migrated SQLite database and the local
store: the upload streamed in 64 KiB chunks into the store's temporary file (hashed as it arrives), sniffing,
EXIF, display image, thumbnail, perceptual hash, durable atomic writes of the three files (fsync) and the row.
Only the derive step differs: ours decodes at reduced scale (JPEG draft), resizes from there, and hashes the
thumbnail; the naive one decodes all 12 MP, makes both images with LANCZOS from the original and hashes the
original. Runs alternate between the two so that the machine's noise falls on both alike. Each run's bytes are
made unique (a trailer after the JPEG's end) so every run is a new photo, not the 200 "already have it" path.

Peak memory per upload is measured in a fresh process per variant: VmHWM after one ingest, with the high-water
mark reset (/proc/self/clear_refs) just before it, minus the resident size at that moment. tracemalloc's peak
is printed beside it; it sees Python objects (the encoded files) but not Pillow's pixel buffers.
"""

import argparse
import ctypes
import gc
import io
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

CPU = int(os.environ.get("BENCH_CPU", min(os.sched_getaffinity(0))))
os.sched_setaffinity(0, {CPU})  # before any thread exists, so the fsync threads are pinned as well

import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageOps  # noqa: E402
from PIL.TiffImagePlugin import IFDRational  # noqa: E402

TARGET_MS = 100.0
TARGET_RATIO = 3.5
CHUNK = 65536


def phone_jpeg(size: tuple[int, int] = (4000, 3000)) -> bytes:
    """A 12 MP scene with gradients, shapes and sensor noise, saved as a phone does (EXIF GPS, time), ~4 MB."""
    rng = np.random.default_rng(2026)
    w, h = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    sky = np.stack(
        [200 * x / w + 30 * np.sin(y / 90), 180 * y / h + 40 * np.cos(x / 130), 60 + 90 * x * y / (w * h)], -1
    )
    image = Image.fromarray(np.clip(sky, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x0, y0 = int(rng.integers(0, w)), int(rng.integers(0, h))
        box = (x0, y0, x0 + int(rng.integers(w // 80, w // 4)), y0 + int(rng.integers(h // 60, h // 4)))
        draw.rectangle(box, fill=tuple(int(c) for c in rng.integers(0, 256, 3)))
    noise = rng.standard_normal((h, w, 3), dtype=np.float32) * 12  # sensor noise: what makes 12 MP weigh 4 MB
    image = Image.fromarray(np.clip(np.asarray(image, dtype=np.float32) + noise, 0, 255).astype(np.uint8))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0112] = "Apple", "iPhone 15 Pro", 1
    exif[0x8825] = {
        1: "N",
        2: (IFDRational(31), IFDRational(13), IFDRational(4944, 100)),
        3: "E",
        4: (IFDRational(121), IFDRational(28), IFDRational(2532, 100)),
    }
    exif[0x8769] = {0x9003: "2026:05:01 10:00:00", 0x9011: "+08:00"}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def naive_derive(source, mime, *, max_pixels, local, display_px=1600, thumb_px=320):
    """The pipeline without the tricks: full decode, two LANCZOS resizes of the original, pHash of the original."""
    from app.photos.derive import Derived, fit
    from app.photos.exif import read_exif
    from app.photos.phash import phash

    with Image.open(source) as opened:
        facts = read_exif(opened.getexif(), local)
        full = ImageOps.exif_transpose(opened.convert("RGB"))
    display = full.resize(fit(full.size, display_px), Image.Resampling.LANCZOS)
    thumb = full.resize(fit(full.size, thumb_px), Image.Resampling.LANCZOS)
    encoded = []
    for picture, quality in ((display, 85), (thumb, 80)):
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=quality)
        encoded.append(out.getvalue())
    return Derived(full.width, full.height, facts, encoded[0], encoded[1], phash(full))


class Bench:
    """A migrated SQLite database and a media folder in a temporary directory; ingests one upload at a time."""

    def __init__(self, root: Path):
        os.environ["XUNCHA_DATABASE_URL"] = f"sqlite:///{root / 'bench.db'}"
        os.environ["XUNCHA_MEDIA_DIR"] = str(root / "media")
        from app.config import get_settings
        from app.db import new_session
        from app.migrate import upgrade
        from app.models import PhotoForm
        from app.services import photos
        from app.storage import get_photo_store

        get_settings.cache_clear()
        self.settings = get_settings()
        upgrade(self.settings.database_url)
        self.new_session, self.photos, self.form = new_session, photos, PhotoForm()
        self.store = get_photo_store(self.settings)
        self.real_derive = photos.derive

    def ingest(self, data: bytes, naive: bool) -> tuple[float, float]:
        """Milliseconds from the first received byte to the committed row: (wall clock, CPU of this process)."""
        self.photos.derive = naive_derive if naive else self.real_derive
        with self.new_session() as session:
            started, cpu = time.perf_counter(), time.process_time()
            upload = self.store.receive(self.settings.max_upload_bytes)
            try:
                for i in range(0, len(data), CHUNK):
                    upload.write(data[i : i + CHUNK])
                upload.finish()
                _, created = self.photos.ingest(session, self.store, upload, self.form, None, self.settings)
            finally:
                upload.discard()
            elapsed = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
        assert created
        return elapsed


def _vm(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _memory_child(data: bytes, warm: bytes, naive: bool, queue) -> None:
    os.sched_setaffinity(0, {CPU})
    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(Path(tmp))
        bench.ingest(warm, naive)  # imports, plugins, first queries: not part of an upload's cost
        gc.collect()
        ctypes.CDLL("libc.so.6").malloc_trim(0)  # hand back heap that only the warm-up used
        Path("/proc/self/clear_refs").write_text("5")  # reset the resident high-water mark
        before = _vm("VmRSS")
        tracemalloc.start()
        bench.ingest(data, naive)
        _, traced = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        queue.put((_vm("VmHWM") - before, _vm("VmHWM"), traced))


def peak_memory(data: bytes, warm: bytes, naive: bool) -> tuple[int, int, int]:
    """(resident growth during one upload, the process's high-water mark, tracemalloc's peak) in bytes."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    child = ctx.Process(target=_memory_child, args=(data, warm, naive, queue))
    child.start()
    result = queue.get(timeout=120)
    child.join()
    return result


def _unique(data: bytes, n: int) -> bytes:
    return data + f"run-{n}".encode()  # after the JPEG's end marker: ignored by decoders, changes the sha256


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    data = phone_jpeg()
    print(f"test photo: 4000x3000 JPEG, {len(data) / 2**20:.2f} MiB, EXIF GPS + time; pinned to CPU {CPU}")
    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(Path(tmp))
        times: dict[bool, list[float]] = {False: [], True: []}
        cpu: dict[bool, list[float]] = {False: [], True: []}
        for n in range(args.runs + 2):
            for naive in (False, True):
                wall, used = bench.ingest(_unique(data, 2 * n + naive), naive)
                if n >= 2:  # the first two rounds warm caches and the database
                    times[naive].append(wall)
                    cpu[naive].append(used)
    ours, naive = statistics.median(times[False]), statistics.median(times[True])
    for label, values in (
        ("ours (draft decode, thumb pHash)", times[False]),
        ("naive (full decode, LANCZOS)", times[True]),
    ):
        q = statistics.quantiles(values, n=10)
        print(
            f"  {label:34s} median {statistics.median(values):7.1f} ms   min {min(values):7.1f}   p90 {q[-1]:7.1f}   (n={len(values)})"
        )
    print(
        f"  CPU time of the process (no waiting for a core or the disk): ours median "
        f"{statistics.median(cpu[False]):.1f} ms, naive {statistics.median(cpu[True]):.1f} ms"
    )
    ratio = naive / ours
    print(
        f"ingest median {ours:.1f} ms (target <= {TARGET_MS:.0f}: {'met' if ours <= TARGET_MS else 'MISSED'})"
    )
    print(
        f"naive median {naive:.1f} ms; speed-up {ratio:.2f}x (target >= {TARGET_RATIO}x: {'met' if ratio >= TARGET_RATIO else 'MISSED'})"
    )

    warm = phone_jpeg((1200, 900))
    for label, is_naive in (("ours", False), ("naive", True)):
        grew, hwm, traced = peak_memory(_unique(data, 10_000 + is_naive), warm, is_naive)
        print(
            f"peak memory per upload, {label:5s}: RSS +{grew / 2**20:6.1f} MiB over the idle process (high-water {hwm / 2**20:.0f} MiB); tracemalloc peak {traced / 2**20:.1f} MiB"
        )
    print("(timings on a shared machine are noisy; the ratio is measured in this run, interleaved)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
