"""foundation schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 17:41:05.713091
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The default catalogue (CONTRACT.md), with deadlines in the style of city rules (处置时限).
CATEGORIES = [
    # code, name, group, deadline value, deadline unit
    ("env.litter", "暴露垃圾、果壳纸屑", "环境卫生", 4, "work_hours"),
    ("env.water", "路面积水", "环境卫生", 4, "work_hours"),
    ("env.butts", "烟头痰迹", "环境卫生", 2, "work_hours"),
    ("fac.road", "路面破损", "公共设施", 5, "work_days"),
    ("fac.lamp", "路灯损坏", "公共设施", 2, "work_days"),
    ("fac.bench", "座椅损坏", "公共设施", 2, "work_days"),
    ("fac.bin", "垃圾箱破损、满溢", "公共设施", 1, "work_days"),
    ("fac.sign", "指示牌缺损", "公共设施", 3, "work_days"),
    ("fac.fire_lane", "消防通道堵塞", "公共设施", 4, "work_hours"),
    ("fac.nursing_room", "母婴室不达标", "公共设施", 5, "work_days"),
    ("fac.accessibility", "无障碍设施缺损", "公共设施", 5, "work_days"),
    ("ads.missing", "公益广告缺失或比例不达标", "氛围营造", 3, "work_days"),
    ("ads.damaged", "公益广告破损脏污", "氛围营造", 2, "work_days"),
    ("site.fence", "工地围挡破损", "文明施工", 2, "work_days"),
    ("svc.volunteer", "志愿服务站不达标", "服务规范", 3, "work_days"),
    ("svc.window", "窗口服务不规范", "服务规范", 2, "work_days"),
    ("order.vending", "占道经营", "市容秩序", 4, "work_hours"),
    ("order.frontage", "门前三包不落实", "市容秩序", 1, "work_days"),
    ("traffic.parking", "车辆乱停乱放", "交通秩序", 2, "work_hours"),
    ("other", "其他问题", "其他", 3, "work_days"),
]


def upgrade() -> None:
    op.create_table(
        "calendar_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )
    op.create_table(
        "category",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("group", sa.String(length=64), nullable=False),
        sa.Column("deadline_value", sa.Integer(), nullable=False),
        sa.Column("deadline_unit", sa.String(length=16), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "ref_counter",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year"),
    )
    op.create_table(
        "unit",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unit_code"), ["code"], unique=True)
        batch_op.create_index(batch_op.f("ix_unit_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "zone_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_unit_id"), ["unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_user_username"), ["username"], unique=True)

    op.create_table(
        "zone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("layer", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=True),
        sa.Column("width_m", sa.Float(), nullable=True),
        sa.Column("geometry", sa.Text(), nullable=False),
        sa.Column("min_lon", sa.Float(), nullable=False),
        sa.Column("min_lat", sa.Float(), nullable=False),
        sa.Column("max_lon", sa.Float(), nullable=False),
        sa.Column("max_lat", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("layer", "code", name="uq_zone_layer_code"),
    )
    with op.batch_alter_table("zone", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_zone_layer"), ["layer"], unique=False)
        batch_op.create_index(batch_op.f("ix_zone_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "api_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_hash"),
    )
    op.create_table(
        "issue",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("accuracy_m", sa.Float(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("proposed_unit_id", sa.Integer(), nullable=True),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("duplicate_of", sa.String(length=36), nullable=True),
        sa.Column("fixed_on_site", sa.Boolean(), nullable=False),
        sa.Column("disputed", sa.Boolean(), nullable=False),
        sa.Column("reopen_count", sa.Integer(), nullable=False),
        sa.Column("extension_pending", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rectified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["category"],
            ["category.code"],
        ),
        sa.ForeignKeyConstraint(
            ["duplicate_of"],
            ["issue.id"],
        ),
        sa.ForeignKeyConstraint(
            ["proposed_unit_id"],
            ["unit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ref"),
    )
    with op.batch_alter_table("issue", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issue_category"), ["category"], unique=False)
        batch_op.create_index("ix_issue_created", ["created_at", "id"], unique=False)
        batch_op.create_index("ix_issue_lat_lon", ["lat", "lon"], unique=False)
        batch_op.create_index(batch_op.f("ix_issue_reporter_id"), ["reporter_id"], unique=False)
        batch_op.create_index("ix_issue_status_due", ["status", "due_at"], unique=False)
        batch_op.create_index("ix_issue_unit_status", ["unit_id", "status"], unique=False)

    op.create_table(
        "photo",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("phash", sa.String(length=16), nullable=False),
        sa.Column("phash_int", sa.BigInteger(), nullable=False),
        sa.Column("mime", sa.String(length=32), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("exif_lat", sa.Float(), nullable=True),
        sa.Column("exif_lon", sa.Float(), nullable=True),
        sa.Column("exif_taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("device", sa.String(length=200), nullable=True),
        sa.Column("form_lat", sa.Float(), nullable=True),
        sa.Column("form_lon", sa.Float(), nullable=True),
        sa.Column("form_crs", sa.String(length=8), nullable=True),
        sa.Column("accuracy_m", sa.Float(), nullable=True),
        sa.Column("form_taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("uploader_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["uploader_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_photo_phash_int"), ["phash_int"], unique=False)
        batch_op.create_index(batch_op.f("ix_photo_sha256"), ["sha256"], unique=True)
        batch_op.create_index(batch_op.f("ix_photo_uploader_id"), ["uploader_id"], unique=False)

    op.create_table(
        "issue_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issue_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("flags", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["issue.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("issue_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issue_event_at"), ["at"], unique=False)
        batch_op.create_index("ix_issue_event_issue_seq", ["issue_id", "seq"], unique=True)

    op.create_table(
        "issue_zone",
        sa.Column("issue_id", sa.String(length=36), nullable=False),
        sa.Column("layer", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=True),
        sa.Column("distance_m", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["issue.id"],
        ),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["zone.id"],
        ),
        sa.PrimaryKeyConstraint("issue_id", "layer"),
    )
    with op.batch_alter_table("issue_zone", schema=None) as batch_op:
        batch_op.create_index("ix_issue_zone_layer_code", ["layer", "code"], unique=False)

    op.create_table(
        "issue_photo",
        sa.Column("issue_id", sa.String(length=36), nullable=False),
        sa.Column("photo_id", sa.String(length=36), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["issue_event.id"],
        ),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["issue.id"],
        ),
        sa.ForeignKeyConstraint(
            ["photo_id"],
            ["photo.id"],
        ),
        sa.PrimaryKeyConstraint("issue_id", "photo_id"),
    )
    with op.batch_alter_table("issue_photo", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issue_photo_photo_id"), ["photo_id"], unique=False)

    category = sa.table(
        "category",
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("group", sa.String),
        sa.column("deadline_value", sa.Integer),
        sa.column("deadline_unit", sa.String),
        sa.column("sort_order", sa.Integer),
        sa.column("active", sa.Boolean),
    )
    op.bulk_insert(
        category,
        [
            {
                "code": c,
                "name": n,
                "group": g,
                "deadline_value": v,
                "deadline_unit": u,
                "sort_order": i,
                "active": True,
            }
            for i, (c, n, g, v, u) in enumerate(CATEGORIES)
        ],
    )
    zone_revision = sa.table(
        "zone_revision",
        sa.column("id", sa.Integer),
        sa.column("version", sa.Integer),
        sa.column("changed_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(zone_revision, [{"id": 1, "version": 0, "changed_at": datetime.now(UTC)}])


def downgrade() -> None:
    with op.batch_alter_table("issue_photo", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issue_photo_photo_id"))

    op.drop_table("issue_photo")
    with op.batch_alter_table("issue_zone", schema=None) as batch_op:
        batch_op.drop_index("ix_issue_zone_layer_code")

    op.drop_table("issue_zone")
    with op.batch_alter_table("issue_event", schema=None) as batch_op:
        batch_op.drop_index("ix_issue_event_issue_seq")
        batch_op.drop_index(batch_op.f("ix_issue_event_at"))

    op.drop_table("issue_event")
    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_photo_uploader_id"))
        batch_op.drop_index(batch_op.f("ix_photo_sha256"))
        batch_op.drop_index(batch_op.f("ix_photo_phash_int"))

    op.drop_table("photo")
    with op.batch_alter_table("issue", schema=None) as batch_op:
        batch_op.drop_index("ix_issue_unit_status")
        batch_op.drop_index("ix_issue_status_due")
        batch_op.drop_index(batch_op.f("ix_issue_reporter_id"))
        batch_op.drop_index("ix_issue_lat_lon")
        batch_op.drop_index("ix_issue_created")
        batch_op.drop_index(batch_op.f("ix_issue_category"))

    op.drop_table("issue")
    op.drop_table("api_key")
    with op.batch_alter_table("zone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_zone_unit_id"))
        batch_op.drop_index(batch_op.f("ix_zone_layer"))

    op.drop_table("zone")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_username"))
        batch_op.drop_index(batch_op.f("ix_user_unit_id"))

    op.drop_table("user")
    op.drop_table("zone_revision")
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unit_parent_id"))
        batch_op.drop_index(batch_op.f("ix_unit_code"))

    op.drop_table("unit")
    op.drop_table("ref_counter")
    op.drop_table("category")
    op.drop_table("calendar_day")
