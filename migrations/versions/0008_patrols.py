"""patrols: road-chief patrols, their track batches and points, and the daily coverage of road segments

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.base import UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "patrol",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("started_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_point_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("point_count", sa.Integer(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=False),
        sa.Column("flags", sa.Text(), server_default="{}", nullable=False),
        sa.Column("suspect", sa.Boolean(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("patrol", schema=None) as batch_op:
        batch_op.create_index("ix_patrol_unit_started", ["unit_id", "started_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_patrol_user_id"), ["user_id"], unique=False)

    op.create_table(
        "road_coverage",
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("length_m", sa.Float(), nullable=False),
        sa.Column("covered_m", sa.Float(), nullable=False),
        sa.Column("share", sa.Float(), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["zone.id"],
        ),
        sa.PrimaryKeyConstraint("zone_id", "day"),
    )
    with op.batch_alter_table("road_coverage", schema=None) as batch_op:
        batch_op.create_index("ix_road_coverage_unit_day", ["unit_id", "day"], unique=False)

    op.create_table(
        "patrol_batch",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("patrol_id", sa.String(length=36), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("first_seq", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("received_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patrol_id"],
            ["patrol.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("patrol_batch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patrol_batch_patrol_id"), ["patrol_id"], unique=False)

    op.create_table(
        "patrol_point",
        sa.Column("patrol_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.String(length=36), nullable=False),
        sa.Column("t", UTCDateTime(timezone=True), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("accuracy_m", sa.Float(), nullable=True),
        sa.Column("received_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["patrol_batch.id"],
        ),
        sa.ForeignKeyConstraint(
            ["patrol_id"],
            ["patrol.id"],
        ),
        sa.PrimaryKeyConstraint("patrol_id", "seq"),
    )
    with op.batch_alter_table("patrol_point", schema=None) as batch_op:
        batch_op.create_index("ix_patrol_point_t", ["t"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("patrol_point", schema=None) as batch_op:
        batch_op.drop_index("ix_patrol_point_t")

    op.drop_table("patrol_point")
    with op.batch_alter_table("patrol_batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patrol_batch_patrol_id"))

    op.drop_table("patrol_batch")
    with op.batch_alter_table("road_coverage", schema=None) as batch_op:
        batch_op.drop_index("ix_road_coverage_unit_day")

    op.drop_table("road_coverage")
    with op.batch_alter_table("patrol", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patrol_user_id"))
        batch_op.drop_index("ix_patrol_unit_started")

    op.drop_table("patrol")
