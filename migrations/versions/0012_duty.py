"""duty: posts at sites (到岗), check-ins, empty posts found on the spot

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "duty_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("hours", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["zone.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("zone_id", "unit_id", name="uq_duty_post_zone_unit"),
    )
    with op.batch_alter_table("duty_post", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duty_post_unit_id"), ["unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_duty_post_zone_id"), ["zone_id"], unique=False)

    op.create_table(
        "duty_checkin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("accuracy_m", sa.Float(), nullable=True),
        sa.Column("distance_m", sa.Float(), nullable=False),
        sa.Column("photo_id", sa.String(length=36), nullable=False),
        sa.Column("flags", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["photo_id"],
            ["photo.id"],
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["duty_post.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("photo_id"),
    )
    with op.batch_alter_table("duty_checkin", schema=None) as batch_op:
        batch_op.create_index("ix_duty_checkin_post_at", ["post_id", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_duty_checkin_user_id"), ["user_id"], unique=False)

    op.create_table(
        "empty_post_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("photo_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["photo_id"],
            ["photo.id"],
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["duty_post.id"],
        ),
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
    with op.batch_alter_table("empty_post_finding", schema=None) as batch_op:
        batch_op.create_index("ix_empty_post_finding_at", ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_empty_post_finding_post_id"), ["post_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("empty_post_finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_empty_post_finding_post_id"))
        batch_op.drop_index("ix_empty_post_finding_at")

    op.drop_table("empty_post_finding")
    with op.batch_alter_table("duty_checkin", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duty_checkin_user_id"))
        batch_op.drop_index("ix_duty_checkin_post_at")

    op.drop_table("duty_checkin")
    with op.batch_alter_table("duty_post", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duty_post_zone_id"))
        batch_op.drop_index(batch_op.f("ix_duty_post_unit_id"))

    op.drop_table("duty_post")
