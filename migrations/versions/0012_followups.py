"""Follow-ups (民情/需跟进) raised at visits, and visit photos.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 19:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

CATEGORIES = (
    "livelihood",
    "health",
    "elderly_children",
    "dispute",
    "infrastructure",
    "environment",
    "safety",
    "policy",
    "other",
)
STATES = ("open", "in_progress", "closed")
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")


def _one_of(table: str, column: str, values: tuple[str, ...]) -> sa.CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=op.f(f"ck_{table}_{column}_allowed"))


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "followup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=24), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("raised_by", sa.Integer(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), server_default="open", nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("close_note", sa.Text(), nullable=True),
        *_stamps(),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        _one_of("followup", "category", CATEGORIES),
        _one_of("followup", "state", STATES),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_followup_visit_id_visit"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["household_id"], ["household.id"], name=op.f("fk_followup_household_id_household")),
        sa.ForeignKeyConstraint(["village_id"], ["village.id"], name=op.f("fk_followup_village_id_village")),
        sa.ForeignKeyConstraint(["raised_by"], ["cadre.id"], name=op.f("fk_followup_raised_by_cadre")),
        sa.ForeignKeyConstraint(["owner_id"], ["cadre.id"], name=op.f("fk_followup_owner_id_cadre")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup")),
        sa.UniqueConstraint("client_id", name=op.f("uq_followup_client_id")),
    )
    for column in ("visit_id", "household_id", "village_id", "owner_id"):
        op.create_index(op.f(f"ix_followup_{column}"), "followup", [column])
    op.create_table(
        "photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=16), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("path", sa.String(length=128), nullable=False),
        sa.Column("taken_by", sa.Integer(), nullable=False),
        *_stamps(),
        _one_of("photo", "content_type", PHOTO_TYPES),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], name=op.f("fk_photo_visit_id_visit"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["household_id"], ["household.id"], name=op.f("fk_photo_household_id_household")),
        sa.ForeignKeyConstraint(["taken_by"], ["cadre.id"], name=op.f("fk_photo_taken_by_cadre")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photo")),
        sa.UniqueConstraint("client_id", name=op.f("uq_photo_client_id")),
    )
    for column in ("visit_id", "household_id"):
        op.create_index(op.f(f"ix_photo_{column}"), "photo", [column])


def downgrade() -> None:
    op.drop_table("photo")
    op.drop_table("followup")
