"""Migration 0003 fills in the hash bands of photos that were stored before it."""

from sqlalchemy import text

from app.db import get_engine, make_engine
from app.migrate import downgrade, upgrade
from app.models.photo import phash_bands
from tests.conftest import ON_POSTGRES

HASHES = [-1, -(2**63), 2**63 - 1, 0x0F0F_5A5A_0F0F_A5A6, -0x0F0F_5A5A_0F0F_A5A6]


def test_upgrade_computes_the_bands_of_existing_photos(database_url, tmp_path):
    url = database_url if ON_POSTGRES else f"sqlite:///{tmp_path / 'bands.db'}"
    get_engine().dispose()
    if ON_POSTGRES:
        downgrade(url, "0002")
    else:
        upgrade(url, "0002")
    engine = make_engine(url)
    with engine.begin() as conn:
        for i, value in enumerate(HASHES):
            conn.execute(
                text(
                    "INSERT INTO photo (id, sha256, phash, phash_int, mime, size_bytes, width, height, created_at) "
                    "VALUES (:id, :sha, '0', :h, 'image/jpeg', 1, 1, 1, CURRENT_TIMESTAMP)"
                ),
                {"id": f"p{i}", "sha": f"{i:064x}", "h": value},
            )
    upgrade(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT phash_int, phash_band0, phash_band1, phash_band2, phash_band3 FROM photo ORDER BY id"
            )
        ).all()
    engine.dispose()
    assert [tuple(r[1:]) for r in rows] == [phash_bands(v) for v in HASHES]
