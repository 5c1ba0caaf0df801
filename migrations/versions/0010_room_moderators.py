"""Moderators assigned to rooms, and how long a review item is for its room's moderators alone

Revision ID: 0010_room_mods
Revises: 0009_slow_mode
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010_room_mods'
down_revision = '0009_slow_mode'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'room_moderators',
        sa.Column('room_id', sa.String(length=32), nullable=False),
        sa.Column('user_id', sa.String(length=32), nullable=False),
        sa.Column('assigned_at', sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_room_moderators_room_id_rooms'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_room_moderators_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('room_id', 'user_id', name=op.f('pk_room_moderators')),
    )
    with op.batch_alter_table('room_moderators') as batch:
        batch.create_index(batch.f('ix_room_moderators_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('review_items') as batch:
        batch.add_column(sa.Column('room_first_until', sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('review_items') as batch:
        batch.drop_column('room_first_until')
    with op.batch_alter_table('room_moderators') as batch:
        batch.drop_index(batch.f('ix_room_moderators_user_id'))
    op.drop_table('room_moderators')
