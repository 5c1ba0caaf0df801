"""Review items keep what staff wrote when they raised one (a facilitator's reason for removing someone from
a session), so moderators read it on the item

Revision ID: 0013_item_notes
Revises: 0012_aged_indexes
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013_item_notes'
down_revision = '0012_aged_indexes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('review_items') as batch:
        batch.add_column(sa.Column('notes', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('review_items') as batch:
        batch.drop_column('notes')
