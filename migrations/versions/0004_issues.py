"""issues: an event records its actor's unit (whose work it was) and the deadline it set or asked for

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("issue_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor_unit_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key("fk_issue_event_actor_unit_id_unit", "unit", ["actor_unit_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("issue_event", schema=None) as batch_op:
        batch_op.drop_constraint("fk_issue_event_actor_unit_id_unit", type_="foreignkey")
        batch_op.drop_column("due_at")
        batch_op.drop_column("actor_unit_id")
