"""mail: bouncing contacts, superseded approvals, IMAP mailbox state

Revision ID: 0003_mail
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

import ledger.types

revision = "0003_mail"
down_revision = "0002_users"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(
            sa.Column("bounced_at", ledger.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch.add_column(sa.Column("bounce_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("approvals") as batch:
        batch.add_column(sa.Column("superseded_by", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_approvals_superseded_by", "approvals", ["superseded_by"], ["id"]
        )
    op.create_table(
        "mailbox_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mailbox", sa.String(length=512), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=False),
        sa.Column("last_uid", sa.BigInteger(), nullable=False),
        sa.Column("failing_uid", sa.BigInteger(), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("polled_at", ledger.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("mailbox"),
    )


def downgrade() -> None:
    op.drop_table("mailbox_state")
    with op.batch_alter_table("approvals") as batch:
        batch.drop_constraint("fk_approvals_superseded_by", type_="foreignkey")
        batch.drop_column("superseded_by")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("bounce_reason")
        batch.drop_column("bounced_at")
