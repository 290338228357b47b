"""inspections: checklist templates per site kind (versioned) and inspections of sites against them

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.base import UTCDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "checklist_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_kind", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("site_kind", "version", name="uq_checklist_kind_version"),
    )
    op.create_table(
        "checklist_item",
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=16), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["category"],
            ["category.code"],
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["checklist_template.id"],
        ),
        sa.PrimaryKeyConstraint("template_id", "code"),
    )
    op.create_table(
        "inspection",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("site_zone_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("inspector_id", sa.Integer(), nullable=False),
        sa.Column("self_check", sa.Boolean(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("accuracy_m", sa.Float(), nullable=True),
        sa.Column("distance_m", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("passed", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("na", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["inspector_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["site_zone_id"],
            ["zone.id"],
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["checklist_template.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inspection_inspector_id"), ["inspector_id"], unique=False)
        batch_op.create_index("ix_inspection_site_at", ["site_zone_id", "at"], unique=False)
        batch_op.create_index("ix_inspection_unit_at", ["unit_id", "at"], unique=False)

    op.create_table(
        "inspection_item",
        sa.Column("inspection_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("result", sa.String(length=8), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=False),
        sa.Column("photo_ids", sa.String(length=1000), nullable=False),
        sa.Column("issue_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
        ),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["issue.id"],
        ),
        sa.PrimaryKeyConstraint("inspection_id", "code"),
    )
    with op.batch_alter_table("inspection_item", schema=None) as batch_op:
        batch_op.create_index("ix_inspection_item_result", ["result", "inspection_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("inspection_item", schema=None) as batch_op:
        batch_op.drop_index("ix_inspection_item_result")

    op.drop_table("inspection_item")
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.drop_index("ix_inspection_unit_at")
        batch_op.drop_index("ix_inspection_site_at")
        batch_op.drop_index(batch_op.f("ix_inspection_inspector_id"))

    op.drop_table("inspection")
    op.drop_table("checklist_item")
    op.drop_table("checklist_template")
