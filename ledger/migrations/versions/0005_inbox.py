"""escalation tasks and suggestion decisions (issue 15)

Revision ID: 0005_inbox
Revises: 0003_mail
"""
from alembic import op
import sqlalchemy as sa
import ledger.types


revision = '0005_inbox'
down_revision = '0003_mail'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('escalation_tasks',
    sa.Column('approval_id', sa.Integer(), nullable=False),
    sa.Column('assignee', sa.String(length=128), nullable=True),
    sa.Column('snoozed_until', sa.Date(), nullable=True),
    sa.Column('comments', sa.JSON(), nullable=False),
    sa.Column('outcome', sa.String(length=32), nullable=True),
    sa.Column('resolved_by', sa.String(length=128), nullable=True),
    sa.Column('resolved_at', ledger.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['approval_id'], ['approvals.id'], ),
    sa.PrimaryKeyConstraint('approval_id')
    )
    with op.batch_alter_table('escalation_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escalation_tasks_assignee'), ['assignee'], unique=False)
    op.create_table('suggestion_decisions',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('decided_by', sa.String(length=128), nullable=False),
    sa.Column('decided_at', ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('approval_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['approval_id'], ['approvals.id'], ),
    sa.PrimaryKeyConstraint('key')
    )


def downgrade() -> None:
    op.drop_table('suggestion_decisions')
    with op.batch_alter_table('escalation_tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_escalation_tasks_assignee'))
    op.drop_table('escalation_tasks')
