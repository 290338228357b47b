"""photos: EXIF's own accuracy, and the perceptual hash in four indexed 16-bit bands for look-alike search

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BANDS = [f"phash_band{i}" for i in range(4)]


def upgrade() -> None:
    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.add_column(sa.Column("exif_accuracy_m", sa.Float(), nullable=True))
        for band in BANDS:
            batch_op.add_column(sa.Column(band, sa.Integer(), nullable=True))
    # the same arithmetic as app.models.photo.phash_bands, on SQLite and PostgreSQL alike
    op.execute(
        "UPDATE photo SET "
        + ", ".join(f"{band} = (phash_int >> {48 - 16 * i}) & 65535" for i, band in enumerate(BANDS))
    )
    with op.batch_alter_table("photo", schema=None) as batch_op:
        for band in BANDS:
            batch_op.alter_column(band, existing_type=sa.Integer(), nullable=False)
            batch_op.create_index(batch_op.f(f"ix_photo_{band}"), [band], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("photo", schema=None) as batch_op:
        for band in BANDS:
            batch_op.drop_index(batch_op.f(f"ix_photo_{band}"))
            batch_op.drop_column(band)
        batch_op.drop_column("exif_accuracy_m")
