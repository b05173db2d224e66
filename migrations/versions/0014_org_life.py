"""Organisations (issue 14): 换届 dates, firms' full members, 一帮一 pairings, 组织生活 meetings.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 19:00:00
"""

import geoalchemy2
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("party_org", sa.Column("elected_on", sa.Date(), nullable=True))
    op.add_column("party_org", sa.Column("term_years", sa.Integer(), nullable=True))
    op.add_column("economic_org", sa.Column("full_members", sa.Integer(), nullable=True))
    op.create_table(
        "help_pairing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("party_member_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_help_pairing_household_id_household"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["party_member_id"],
            ["party_member.id"],
            name=op.f("fk_help_pairing_party_member_id_party_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_pairing")),
        sa.UniqueConstraint(
            "party_member_id", "household_id", "start_date", name=op.f("uq_help_pairing_party_member_id")
        ),
    )
    op.create_index(op.f("ix_help_pairing_household_id"), "help_pairing", ["household_id"], unique=False)
    op.create_index(op.f("ix_help_pairing_party_member_id"), "help_pairing", ["party_member_id"], unique=False)
    op.create_table(
        "org_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("party_org_id", sa.Integer(), nullable=False),
        sa.Column("meeting_type", sa.String(length=24), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("venue", sa.String(length=128), nullable=True),
        sa.Column("topic", sa.Text(), nullable=True),
        sa.Column("attendee_ids", sa.ARRAY(sa.Integer()), server_default="{}", nullable=False),
        sa.Column("attendees", sa.Integer(), server_default="0", nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("accuracy_m", sa.Float(), nullable=True),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("at_venue", sa.Boolean(), nullable=True),
        sa.Column(
            "geom",
            geoalchemy2.types.Geometry(geometry_type="POINT", srid=4326, spatial_index=False),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("ST_IsValid(geom)", name=op.f("ck_org_meeting_geom_valid")),
        sa.CheckConstraint(
            "meeting_type IN ('general_meeting', 'committee_meeting', 'theme_day', 'party_lecture')",
            name=op.f("ck_org_meeting_meeting_type_allowed"),
        ),
        sa.ForeignKeyConstraint(
            ["party_org_id"], ["party_org.id"], name=op.f("fk_org_meeting_party_org_id_party_org"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["app_user.id"], name=op.f("fk_org_meeting_recorded_by_app_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_meeting")),
        sa.UniqueConstraint("client_id", name=op.f("uq_org_meeting_client_id")),
    )
    op.create_geospatial_index(
        "idx_org_meeting_geom", "org_meeting", ["geom"], unique=False, postgresql_using="gist", postgresql_ops={}
    )
    op.create_index(op.f("ix_org_meeting_held_on"), "org_meeting", ["held_on"], unique=False)
    op.create_index(op.f("ix_org_meeting_party_org_id"), "org_meeting", ["party_org_id"], unique=False)


def downgrade() -> None:
    op.drop_table("org_meeting")
    op.drop_table("help_pairing")
    op.drop_column("economic_org", "full_members")
    op.drop_column("party_org", "term_years")
    op.drop_column("party_org", "elected_on")
