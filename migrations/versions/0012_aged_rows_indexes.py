"""The audit_retention job deletes old session events, ended mutes and watched-word hits in batches, oldest
first: an index on the time each is aged by lets a batch read only its rows instead of the whole table

Revision ID: 0012_aged_indexes
Revises: 0011_queued_pushes
"""
from __future__ import annotations

from alembic import op

revision = '0012_aged_indexes'
down_revision = '0011_queued_pushes'
branch_labels = None
depends_on = None

AGED_BY = (('session_events', 'created_at'), ('mutes', 'until'), ('rule_mutes', 'until'),
           ('watched_hits', 'created_at'))


def upgrade() -> None:
    for table, column in AGED_BY:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=False)


def downgrade() -> None:
    for table, column in reversed(AGED_BY):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_{column}'))
