"""The audit log is filtered by room (the admin page's moderation log)

Revision ID: 0008_audit
Revises: 0005_admin
"""
from __future__ import annotations

from alembic import op

revision = '0008_audit'
down_revision = '0005_admin'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_room_id'), ['room_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_room_id'))
