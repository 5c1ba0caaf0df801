"""Scheduled group sessions

Revision ID: 0004_sessions
Revises: 0001
Create Date: 2026-11-23 12:05:14.880413
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0004_sessions'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('group_sessions',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('series_id', sa.String(length=32), nullable=False),
    sa.Column('room_id', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('facilitators', sa.JSON(), nullable=False),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('start_at', sa.Float(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('lobby_minutes', sa.Integer(), nullable=False),
    sa.Column('opens_at', sa.Float(), nullable=False),
    sa.Column('ends_at', sa.Float(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('recurrence', sa.JSON(), nullable=True),
    sa.Column('confidential', sa.Boolean(), nullable=False),
    sa.Column('listeners_allowed', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('controls', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.Column('started_at', sa.Float(), nullable=True),
    sa.Column('ended_at', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_group_sessions_room_id_rooms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_sessions'))
    )
    with op.batch_alter_table('group_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_group_sessions_room_start', ['room_id', 'start_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_sessions_series_id'), ['series_id'], unique=False)
        batch_op.create_index('ix_group_sessions_state_opens', ['state', 'opens_at'], unique=False)

    op.create_table('session_events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('session_id', sa.String(length=32), nullable=False),
    sa.Column('actor_id', sa.String(length=32), nullable=True),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('target_id', sa.String(length=32), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['group_sessions.id'], name=op.f('fk_session_events_session_id_group_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_events'))
    )
    with op.batch_alter_table('session_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_events_session_id'), ['session_id'], unique=False)

    op.create_table('session_feedback',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('session_id', sa.String(length=32), nullable=False),
    sa.Column('series_id', sa.String(length=32), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('heard', sa.Boolean(), nullable=False),
    sa.Column('safe', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('comment_status', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['group_sessions.id'], name=op.f('fk_session_feedback_session_id_group_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_feedback'))
    )
    with op.batch_alter_table('session_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_feedback_series_id'), ['series_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_feedback_session_id'), ['session_id'], unique=False)

    op.create_table('session_participants',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('session_id', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('rsvp', sa.Boolean(), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=False),
    sa.Column('muted', sa.Boolean(), nullable=False),
    sa.Column('queued_at', sa.Float(), nullable=True),
    sa.Column('last_post_at', sa.Float(), nullable=True),
    sa.Column('feedback', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['group_sessions.id'], name=op.f('fk_session_participants_session_id_group_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_session_participants_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_participants')),
    sa.UniqueConstraint('session_id', 'user_id', name=op.f('uq_session_participants_session_id_user_id'))
    )
    with op.batch_alter_table('session_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_participants_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('session_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_participants_user_id'))

    op.drop_table('session_participants')
    with op.batch_alter_table('session_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_feedback_session_id'))
        batch_op.drop_index(batch_op.f('ix_session_feedback_series_id'))

    op.drop_table('session_feedback')
    with op.batch_alter_table('session_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_events_session_id'))

    op.drop_table('session_events')
    with op.batch_alter_table('group_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_group_sessions_state_opens')
        batch_op.drop_index(batch_op.f('ix_group_sessions_series_id'))
        batch_op.drop_index('ix_group_sessions_room_start')

    op.drop_table('group_sessions')
