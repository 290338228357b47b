"""dashboard: indexes for the dashboard's aggregates; Open311 request details

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OVERDUE_PREDICATE = "status IN ('dispatched', 'in_progress')"


def upgrade() -> None:
    with op.batch_alter_table("issue", schema=None) as batch_op:
        batch_op.create_index(
            "ix_issue_unit_kpi",
            [
                "unit_id",
                "status",
                "due_at",
                "closed_at",
                "rectified_at",
                "reopen_count",
                "extension_pending",
            ],
            unique=False,
        )
        batch_op.create_index(
            "ix_issue_overdue_due",
            ["due_at", "id"],
            unique=False,
            sqlite_where=sa.text(OVERDUE_PREDICATE),
            postgresql_where=sa.text(OVERDUE_PREDICATE),
        )
        batch_op.create_index("ix_issue_status_due_unit", ["status", "due_at", "unit_id"], unique=False)
        batch_op.create_index("ix_issue_closed_at", ["closed_at"], unique=False)
        batch_op.create_index("ix_issue_category_created", ["category", "created_at"], unique=False)
    with op.batch_alter_table("issue_zone", schema=None) as batch_op:
        batch_op.create_index("ix_issue_zone_layer_code_issue", ["layer", "code", "issue_id"], unique=False)

    op.create_table(
        "open311_request",
        sa.Column("issue_id", sa.String(length=36), nullable=False),
        sa.Column("api_key_id", sa.Integer(), nullable=False),
        sa.Column("media_url", sa.Text(), nullable=True),
        sa.Column("address_string", sa.String(length=500), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=64), nullable=True),
        sa.Column("first_name", sa.String(length=100), nullable=True),
        sa.Column("last_name", sa.String(length=100), nullable=True),
        sa.Column("device_id", sa.String(length=200), nullable=True),
        sa.Column("account_id", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["api_key_id"], ["api_key.id"]),
        sa.ForeignKeyConstraint(["issue_id"], ["issue.id"]),
        sa.PrimaryKeyConstraint("issue_id"),
    )
    with op.batch_alter_table("open311_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_open311_request_api_key_id"), ["api_key_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("open311_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_open311_request_api_key_id"))
    op.drop_table("open311_request")
    with op.batch_alter_table("issue_zone", schema=None) as batch_op:
        batch_op.drop_index("ix_issue_zone_layer_code_issue")
    with op.batch_alter_table("issue", schema=None) as batch_op:
        batch_op.drop_index("ix_issue_category_created")
        batch_op.drop_index("ix_issue_closed_at")
        batch_op.drop_index("ix_issue_status_due_unit")
        batch_op.drop_index("ix_issue_overdue_due")
        batch_op.drop_index("ix_issue_unit_kpi")
