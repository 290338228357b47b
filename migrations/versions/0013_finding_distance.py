"""duty: how far from the site an empty post was found (the finder's position, checked on the spot)

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("empty_post_finding", schema=None) as batch_op:
        batch_op.add_column(sa.Column("distance_m", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("empty_post_finding", schema=None) as batch_op:
        batch_op.drop_column("distance_m")
