"""Room-wide slow mode: the room's setting, and each person's last post under it

Revision ID: 0009_slow_mode
Revises: 0008_audit
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009_slow_mode'
down_revision = '0008_audit'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('rooms') as batch:
        batch.add_column(sa.Column('slow_mode_seconds', sa.Integer(), server_default='0', nullable=False))
        batch.add_column(sa.Column('slow_mode_until', sa.Float(), nullable=True))
    op.create_table(
        'slow_mode_posts',
        sa.Column('room_id', sa.String(length=32), nullable=False),
        sa.Column('user_id', sa.String(length=32), nullable=False),
        sa.Column('last_post_at', sa.Float(), nullable=True),
        sa.Column('crisis_until', sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_slow_mode_posts_room_id_rooms'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_slow_mode_posts_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('room_id', 'user_id', name=op.f('pk_slow_mode_posts')),
    )


def downgrade() -> None:
    op.drop_table('slow_mode_posts')
    with op.batch_alter_table('rooms') as batch:
        batch.drop_column('slow_mode_until')
        batch.drop_column('slow_mode_seconds')
