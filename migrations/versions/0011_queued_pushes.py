"""Pushes to connected clients queued by the command line for a server process to send

Revision ID: 0011_queued_pushes
Revises: 0010_room_mods
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011_queued_pushes'
down_revision = '0010_room_mods'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'queued_pushes',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('name', sa.String(length=48), nullable=False),
        sa.Column('args', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_queued_pushes')),
    )


def downgrade() -> None:
    op.drop_table('queued_pushes')
