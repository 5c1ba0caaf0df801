"""Job heartbeats (when the retention purge and later jobs last ran) and held originals

Revision ID: 0003_retention
Revises: 0001
Create Date: 2026-11-23 12:03:40.733828
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0003_retention'
down_revision = '0002_review'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('job_runs',
    sa.Column('name', sa.String(length=48), nullable=False),
    sa.Column('last_run_at', sa.Float(), nullable=False),
    sa.Column('last_removed', sa.Integer(), nullable=False),
    sa.Column('runs', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_job_runs'))
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('original', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('original')
    op.drop_table('job_runs')
