"""directives: the office's orders to units, each recipient's acknowledgement and report, their photos

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "directive",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("directive", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_directive_created_at"), ["created_at"], unique=False)

    op.create_table(
        "directive_photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("directive_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("photo_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["directive_id"],
            ["directive.id"],
        ),
        sa.ForeignKeyConstraint(
            ["photo_id"],
            ["photo.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("directive_photo", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_directive_photo_directive_id"), ["directive_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_directive_photo_photo_id"), ["photo_id"], unique=False)

    op.create_table(
        "directive_recipient",
        sa.Column("directive_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("read_by", sa.Integer(), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by", sa.Integer(), nullable=True),
        sa.Column("done_note", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["directive_id"],
            ["directive.id"],
        ),
        sa.ForeignKeyConstraint(
            ["done_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["read_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("directive_id", "unit_id"),
    )
    with op.batch_alter_table("directive_recipient", schema=None) as batch_op:
        batch_op.create_index("ix_directive_recipient_unit", ["unit_id", "directive_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("directive_recipient", schema=None) as batch_op:
        batch_op.drop_index("ix_directive_recipient_unit")

    op.drop_table("directive_recipient")
    with op.batch_alter_table("directive_photo", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_directive_photo_photo_id"))
        batch_op.drop_index(batch_op.f("ix_directive_photo_directive_id"))

    op.drop_table("directive_photo")
    with op.batch_alter_table("directive", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_directive_created_at"))

    op.drop_table("directive")
