"""accountability: refused faked evidence kept, the score's rules and category weights, the system user
(the actor of escalations)

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "score_rule",
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("rule"),
    )
    op.create_table(
        "score_category_weight",
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category"],
            ["category.code"],
        ),
        sa.PrimaryKeyConstraint("category"),
    )
    op.create_table(
        "evidence_refusal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issue_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("rules", sa.String(length=100), nullable=False),
        sa.Column("photo_ids", sa.Text(), server_default="", nullable=False),
        sa.Column("detail", sa.Text(), server_default="", nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["issue.id"],
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
    with op.batch_alter_table("evidence_refusal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_refusal_issue_id"), ["issue_id"], unique=False)
        batch_op.create_index("ix_evidence_refusal_unit_at", ["unit_id", "at"], unique=False)
    # the actor of what the server does by itself (escalations); inactive, so it never signs in
    op.execute(
        sa.text(
            'INSERT INTO "user" (username, display_name, role, password_hash, active, created_at) '
            "VALUES ('system', '系统', 'office', '!', false, CURRENT_TIMESTAMP)"
        )
    )


def downgrade() -> None:
    op.execute(
        sa.text(
            "DELETE FROM \"user\" WHERE username = 'system' AND NOT EXISTS "
            '(SELECT 1 FROM issue_event e WHERE e.actor_id = "user".id)'
        )
    )
    with op.batch_alter_table("evidence_refusal", schema=None) as batch_op:
        batch_op.drop_index("ix_evidence_refusal_unit_at")
        batch_op.drop_index(batch_op.f("ix_evidence_refusal_issue_id"))

    op.drop_table("evidence_refusal")
    op.drop_table("score_category_weight")
    op.drop_table("score_rule")
