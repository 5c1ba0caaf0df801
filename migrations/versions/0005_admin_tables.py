"""Administration: audit of admin changes, watched words, their hits and mutes, crisis resources, config versions,
age bands

Revision ID: 0005_admin
Revises: 0003_retention
Create Date: 2026-11-23 12:13:54.001013
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0005_admin'
down_revision = '0004_sessions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('admin_changes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('actor_id', sa.String(length=32), nullable=False),
    sa.Column('actor_name', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=48), nullable=False),
    sa.Column('target', sa.String(length=128), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_changes'))
    )
    with op.batch_alter_table('admin_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_admin_changes_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_admin_changes_created_at'), ['created_at'], unique=False)

    op.create_table('config_versions',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_config_versions'))
    )
    op.create_table('crisis_resources',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('region', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=64), nullable=True),
    sa.Column('text', sa.String(length=120), nullable=True),
    sa.Column('url', sa.String(length=300), nullable=True),
    sa.Column('hours', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crisis_resources'))
    )
    with op.batch_alter_table('crisis_resources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crisis_resources_region'), ['region'], unique=False)

    op.create_table('rule_mutes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('room_id', sa.String(length=32), nullable=False),
    sa.Column('rule_id', sa.String(length=32), nullable=False),
    sa.Column('until', sa.Float(), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_rule_mutes_room_id_rooms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_rule_mutes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rule_mutes'))
    )
    with op.batch_alter_table('rule_mutes', schema=None) as batch_op:
        batch_op.create_index('ix_rule_mutes_user_room', ['user_id', 'room_id'], unique=False)

    op.create_table('watched_hits',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('room_id', sa.String(length=32), nullable=False),
    sa.Column('rule_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_watched_hits_room_id_rooms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_watched_hits_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watched_hits'))
    )
    with op.batch_alter_table('watched_hits', schema=None) as batch_op:
        batch_op.create_index('ix_watched_hits_user_room_at', ['user_id', 'room_id', 'created_at'], unique=False)

    op.create_table('watched_words',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('room_id', sa.String(length=32), nullable=True),
    sa.Column('mute_minutes', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.Column('updated_at', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_watched_words_room_id_rooms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watched_words'))
    )
    with op.batch_alter_table('watched_words', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_watched_words_room_id'), ['room_id'], unique=False)

    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('age_band', sa.String(length=8), server_default='adults', nullable=False))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('age_band', sa.String(length=8), server_default='adults', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('age_band')

    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.drop_column('age_band')

    with op.batch_alter_table('watched_words', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_watched_words_room_id'))

    op.drop_table('watched_words')
    with op.batch_alter_table('watched_hits', schema=None) as batch_op:
        batch_op.drop_index('ix_watched_hits_user_room_at')

    op.drop_table('watched_hits')
    with op.batch_alter_table('rule_mutes', schema=None) as batch_op:
        batch_op.drop_index('ix_rule_mutes_user_room')

    op.drop_table('rule_mutes')
    with op.batch_alter_table('crisis_resources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crisis_resources_region'))

    op.drop_table('crisis_resources')
    op.drop_table('config_versions')
    with op.batch_alter_table('admin_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_admin_changes_created_at'))
        batch_op.drop_index(batch_op.f('ix_admin_changes_actor_id'))

    op.drop_table('admin_changes')
