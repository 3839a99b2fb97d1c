"""initial schema

Revision ID: 0001_initial
Revises: 
Create Date: 2026-11-27 14:21:11.829634
"""
from alembic import op
import sqlalchemy as sa
import moot.db.types
from moot import ranking
from moot.db import fill_counts, search_sql


revision = '0001_initial'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ap_delivery',
    sa.Column('domain', sa.Text(), nullable=False),
    sa.Column('last_id', sa.Integer(), server_default='0', nullable=False),
    sa.Column('fail_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('next_attempt', moot.db.types.UtcDateTime(), nullable=True),
    sa.Column('last_success', moot.db.types.UtcDateTime(), nullable=True),
    sa.Column('lease_until', moot.db.types.UtcDateTime(), nullable=True),
    sa.Column('dead', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('domain', name=op.f('pk_ap_delivery'))
    )
    op.create_table('ap_fanout',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_id', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ap_fanout'))
    )
    op.create_table('ap_inbox',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('activity_id', sa.Text(), nullable=False),
    sa.Column('actor', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=10), server_default='queued', nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('next_attempt', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('lease_until', moot.db.types.UtcDateTime(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ap_inbox')),
    sa.UniqueConstraint('activity_id', name=op.f('uq_ap_inbox_activity_id'))
    )
    with op.batch_alter_table('ap_inbox', schema=None) as batch_op:
        batch_op.create_index('ix_ap_inbox_state_next', ['state', 'next_attempt'], unique=False)

    op.create_table('ap_outbox',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('ap_id', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Text(), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('inboxes', sa.Text(), server_default='[]', nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ap_outbox')),
    sa.UniqueConstraint('ap_id', name=op.f('uq_ap_outbox_ap_id'))
    )
    op.create_table('captcha_answer',
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('uuid', name=op.f('pk_captcha_answer'))
    )
    op.create_table('instance',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('domain', sa.Text(), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('updated', moot.db.types.UtcDateTime(), nullable=True),
    sa.Column('software', sa.Text(), nullable=True),
    sa.Column('version', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instance')),
    sa.UniqueConstraint('domain', name=op.f('uq_instance_domain'))
    )
    op.create_table('language',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('code', sa.String(length=3), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_language'))
    )
    op.create_table('local_site_url_blocklist',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('updated', moot.db.types.UtcDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_local_site_url_blocklist')),
    sa.UniqueConstraint('url', name=op.f('uq_local_site_url_blocklist_url'))
    )
    op.create_table('secret',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('jwt_secret', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_secret'))
    )
    op.create_table('site_aggregates',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('users', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('posts', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('comments', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('communities', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('users_active_day', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('users_active_week', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('users_active_month', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('users_active_half_year', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('active_counted_at', moot.db.types.UtcDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_aggregates'))
    )
    op.create_table('community',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('removed', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('updated', moot.db.types.UtcDateTime(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('nsfw', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('actor_id', sa.Text(), nullable=False),
    sa.Column('local', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('private_key', sa.Text(), nullable=True),
    sa.Column('public_key', sa.Text(), nullable=False),
    sa.Column('last_refreshed_at', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('icon', sa.Text(), nullable=True),
    sa.Column('banner', sa.Text(), nullable=True),
    sa.Column('followers_url', sa.Text(), nullable=True),
    sa.Column('inbox_url', sa.Text(), nullable=False),
    sa.Column('shared_inbox_url', sa.Text(), nullable=True),
    sa.Column('hidden', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('posting_restricted_to_mods', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('moderators_url', sa.Text(), nullable=True),
    sa.Column('featured_url', sa.Text(), nullable=True),
    sa.Column('visibility', sa.String(length=20), server_default='Public', nullable=False),
    sa.Column('subscribers', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('subscribers_local', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('posts', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('comments', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('users_active_day', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('users_active_week', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('users_active_month', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('users_active_half_year', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['instance.id'], name=op.f('fk_community_instance_id_instance'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community')),
    sa.UniqueConstraint('actor_id', name=op.f('uq_community_actor_id')),
    sa.UniqueConstraint('name', 'instance_id', name='uq_community_name_instance')
    )
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index('ix_community_published', ['published'], unique=False)
        batch_op.create_index('ix_community_subscribers', ['subscribers'], unique=False)
        batch_op.create_index('ix_community_users_active_month', ['users_active_month'], unique=False)

    op.create_table('federation_allowlist',
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('updated', moot.db.types.UtcDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['instance_id'], ['instance.id'], name=op.f('fk_federation_allowlist_instance_id_instance'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('instance_id', name=op.f('pk_federation_allowlist'))
    )
    op.create_table('federation_blocklist',
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('updated', moot.db.types.UtcDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['instance_id'], ['instance.id'], name=op.f('fk_federation_blocklist_instance_id_instance'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('instance_id', name=op.f('pk_federation_blocklist'))
    )
    op.create_table('person',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('display_name', sa.String(length=255), nullable=True),
    sa.Column('avatar', sa.Text(), nullable=True),
    sa.Column('banned', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('updated', moot.db.types.UtcDateTime(), nullable=True),
    sa.Column('actor_id', sa.Text(), nullable=False),
    sa.Column('bio', sa.Text(), nullable=True),
    sa.Column('local', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('private_key', sa.Text(), nullable=True),
    sa.Column('public_key', sa.Text(), nullable=False),
    sa.Column('last_refreshed_at', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('banner', sa.Text(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('inbox_url', sa.Text(), nullable=False),
    sa.Column('shared_inbox_url', sa.Text(), nullable=True),
    sa.Column('matrix_user_id', sa.Text(), nullable=True),
    sa.Column('bot_account', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('ban_expires', moot.db.types.UtcDateTime(), nullable=True),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('post_count', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('post_score', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('comment_count', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('comment_score', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('last_active', moot.db.types.UtcDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['instance_id'], ['instance.id'], name=op.f('fk_person_instance_id_instance'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('actor_id', name=op.f('uq_person_actor_id')),
    sa.UniqueConstraint('name', 'instance_id', name='uq_person_name_instance')
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index('ix_person_local_last_active', ['local', 'last_active'], unique=False)

    op.create_table('site',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.Column('sidebar', sa.Text(), nullable=True),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('updated', moot.db.types.UtcDateTime(), nullable=True),
    sa.Column('icon', sa.Text(), nullable=True),
    sa.Column('banner', sa.Text(), nullable=True),
    sa.Column('description', sa.String(length=150), nullable=True),
    sa.Column('actor_id', sa.Text(), nullable=False),
    sa.Column('last_refreshed_at', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('inbox_url', sa.Text(), nullable=False),
    sa.Column('private_key', sa.Text(), nullable=True),
    sa.Column('public_key', sa.Text(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('content_warning', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['instance_id'], ['instance.id'], name=op.f('fk_site_instance_id_instance'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site')),
    sa.UniqueConstraint('actor_id', name=op.f('uq_site_actor_id'))
    )
    op.create_table('admin_purge_community',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('admin_person_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('when_', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['admin_person_id'], ['person.id'], name=op.f('fk_admin_purge_community_admin_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_purge_community'))
    )
    with op.batch_alter_table('admin_purge_community', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_admin_purge_community_admin_person_id'), ['admin_person_id'], unique=False)

    op.create_table('admin_purge_person',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('admin_person_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('when_', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['admin_person_id'], ['person.id'], name=op.f('fk_admin_purge_person_admin_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_purge_person'))
    )
    with op.batch_alter_table('admin_purge_person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_admin_purge_person_admin_person_id'), ['admin_person_id'], unique=False)

    op.create_table('admin_purge_post',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('admin_person_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('when_', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['admin_person_id'], ['person.id'], name=op.f('fk_admin_purge_post_admin_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_admin_purge_post_community_id_community'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_purge_post'))
    )
    with op.batch_alter_table('admin_purge_post', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_admin_purge_post_admin_person_id'), ['admin_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_admin_purge_post_community_id'), ['community_id'], unique=False)

    op.create_table('community_activity',
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('last_active', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_community_activity_community_id_community'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_community_activity_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('community_id', 'person_id', name=op.f('pk_community_activity'))
    )
    with op.batch_alter_table('community_activity', schema=None) as batch_op:
        batch_op.create_index('ix_community_activity_community_last_active', ['community_id', 'last_active'], unique=False)
        batch_op.create_index('ix_community_activity_last_active', ['last_active'], unique=False)

    op.create_table('community_block',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_community_block_community_id_community'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_community_block_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'community_id', name=op.f('pk_community_block'))
    )
    op.create_table('community_follower',
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('pending', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_community_follower_community_id_community'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_community_follower_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('community_id', 'person_id', name=op.f('pk_community_follower'))
    )
    with op.batch_alter_table('community_follower', schema=None) as batch_op:
        batch_op.create_index('ix_community_follower_person', ['person_id'], unique=False)

    op.create_table('community_moderator',
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_community_moderator_community_id_community'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_community_moderator_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('community_id', 'person_id', name=op.f('pk_community_moderator'))
    )
    with op.batch_alter_table('community_moderator', schema=None) as batch_op:
        batch_op.create_index('ix_community_moderator_person', ['person_id'], unique=False)

    op.create_table('community_person_ban',
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('expires', moot.db.types.UtcDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_community_person_ban_community_id_community'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_community_person_ban_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('community_id', 'person_id', name=op.f('pk_community_person_ban'))
    )
    op.create_table('instance_block',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['instance.id'], name=op.f('fk_instance_block_instance_id_instance'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_instance_block_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'instance_id', name=op.f('pk_instance_block'))
    )
    op.create_table('local_site',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('site_setup', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('enable_downvotes', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('enable_nsfw', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('community_creation_admin_only', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('require_email_verification', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('application_question', sa.Text(), nullable=True),
    sa.Column('private_instance', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('default_theme', sa.Text(), server_default='browser', nullable=False),
    sa.Column('default_post_listing_type', sa.String(length=20), server_default='Local', nullable=False),
    sa.Column('legal_information', sa.Text(), nullable=True),
    sa.Column('hide_modlog_mod_names', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('application_email_admins', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('slur_filter_regex', sa.Text(), nullable=True),
    sa.Column('actor_name_max_length', sa.Integer(), server_default=sa.text('(20)'), nullable=False),
    sa.Column('federation_enabled', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('captcha_enabled', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('captcha_difficulty', sa.String(length=10), server_default='medium', nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('updated', moot.db.types.UtcDateTime(), nullable=True),
    sa.Column('registration_mode', sa.String(length=20), server_default='RequireApplication', nullable=False),
    sa.Column('reports_email_admins', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('federation_signed_fetch', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('default_post_listing_mode', sa.String(length=10), server_default='List', nullable=False),
    sa.Column('default_sort_type', sa.String(length=20), server_default='Active', nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_local_site_site_id_site'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_local_site'))
    )
    op.create_table('local_user',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('password_encrypted', sa.Text(), nullable=False),
    sa.Column('email', sa.Text(), nullable=True),
    sa.Column('show_nsfw', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('theme', sa.Text(), server_default='browser', nullable=False),
    sa.Column('default_sort_type', sa.String(length=20), server_default='Active', nullable=False),
    sa.Column('default_listing_type', sa.String(length=20), server_default='Local', nullable=False),
    sa.Column('interface_language', sa.String(length=20), server_default='browser', nullable=False),
    sa.Column('show_avatars', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('send_notifications_to_email', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('show_scores', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('show_bot_accounts', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('show_read_posts', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('email_verified', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('accepted_application', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('totp_2fa_secret', sa.Text(), nullable=True),
    sa.Column('open_links_in_new_tab', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('blur_nsfw', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('auto_expand', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('infinite_scroll_enabled', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('admin', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('post_listing_mode', sa.String(length=10), server_default='List', nullable=False),
    sa.Column('totp_2fa_enabled', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('enable_keyboard_navigation', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('enable_animated_images', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('collapse_bot_comments', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('last_donation_notification', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('vote_display_score', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('vote_display_upvotes', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('vote_display_downvotes', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('vote_display_upvote_percentage', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('password_changed', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_local_user_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_local_user')),
    sa.UniqueConstraint('email', name=op.f('uq_local_user_email')),
    sa.UniqueConstraint('person_id', name='uq_local_user_person_id')
    )
    op.create_table('mod_add',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('mod_person_id', sa.Integer(), nullable=False),
    sa.Column('other_person_id', sa.Integer(), nullable=False),
    sa.Column('removed', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('when_', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['mod_person_id'], ['person.id'], name=op.f('fk_mod_add_mod_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['other_person_id'], ['person.id'], name=op.f('fk_mod_add_other_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mod_add'))
    )
    with op.batch_alter_table('mod_add', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mod_add_mod_person_id'), ['mod_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mod_add_other_person_id'), ['other_person_id'], unique=False)

    op.create_table('mod_add_community',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('mod_person_id', sa.Integer(), nullable=False),
    sa.Column('other_person_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('removed', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('when_', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_mod_add_community_community_id_community'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mod_person_id'], ['person.id'], name=op.f('fk_mod_add_community_mod_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['other_person_id'], ['person.id'], name=op.f('fk_mod_add_community_other_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mod_add_community'))
    )
    with op.batch_alter_table('mod_add_community', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mod_add_community_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mod_add_community_mod_person_id'), ['mod_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mod_add_community_other_person_id'), ['other_person_id'], unique=False)
        batch_op.create_index('ix_mod_add_community_when', ['when_'], unique=False)

    op.create_table('mod_ban',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('mod_person_id', sa.Integer(), nullable=False),
    sa.Column('other_person_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('banned', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('expires', moot.db.types.UtcDateTime(), nullable=True),
    sa.Column('when_', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['mod_person_id'], ['person.id'], name=op.f('fk_mod_ban_mod_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['other_person_id'], ['person.id'], name=op.f('fk_mod_ban_other_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mod_ban'))
    )
    with op.batch_alter_table('mod_ban', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mod_ban_mod_person_id'), ['mod_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mod_ban_other_person_id'), ['other_person_id'], unique=False)

    op.create_table('mod_ban_from_community',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('mod_person_id', sa.Integer(), nullable=False),
    sa.Column('other_person_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('banned', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('expires', moot.db.types.UtcDateTime(), nullable=True),
    sa.Column('when_', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_mod_ban_from_community_community_id_community'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mod_person_id'], ['person.id'], name=op.f('fk_mod_ban_from_community_mod_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['other_person_id'], ['person.id'], name=op.f('fk_mod_ban_from_community_other_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mod_ban_from_community'))
    )
    with op.batch_alter_table('mod_ban_from_community', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mod_ban_from_community_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mod_ban_from_community_mod_person_id'), ['mod_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mod_ban_from_community_other_person_id'), ['other_person_id'], unique=False)
        batch_op.create_index('ix_mod_ban_from_community_when', ['when_'], unique=False)

    op.create_table('mod_hide_community',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('mod_person_id', sa.Integer(), nullable=False),
    sa.Column('when_', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('hidden', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_mod_hide_community_community_id_community'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mod_person_id'], ['person.id'], name=op.f('fk_mod_hide_community_mod_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mod_hide_community'))
    )
    with op.batch_alter_table('mod_hide_community', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mod_hide_community_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mod_hide_community_mod_person_id'), ['mod_person_id'], unique=False)
        batch_op.create_index('ix_mod_hide_community_when', ['when_'], unique=False)

    op.create_table('mod_remove_community',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('mod_person_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('removed', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('when_', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_mod_remove_community_community_id_community'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mod_person_id'], ['person.id'], name=op.f('fk_mod_remove_community_mod_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mod_remove_community'))
    )
    with op.batch_alter_table('mod_remove_community', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mod_remove_community_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mod_remove_community_mod_person_id'), ['mod_person_id'], unique=False)
        batch_op.create_index('ix_mod_remove_community_when', ['when_'], unique=False)

    op.create_table('mod_transfer_community',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('mod_person_id', sa.Integer(), nullable=False),
    sa.Column('other_person_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('when_', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_mod_transfer_community_community_id_community'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mod_person_id'], ['person.id'], name=op.f('fk_mod_transfer_community_mod_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['other_person_id'], ['person.id'], name=op.f('fk_mod_transfer_community_other_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mod_transfer_community'))
    )
    with op.batch_alter_table('mod_transfer_community', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mod_transfer_community_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mod_transfer_community_mod_person_id'), ['mod_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mod_transfer_community_other_person_id'), ['other_person_id'], unique=False)
        batch_op.create_index('ix_mod_transfer_community_when', ['when_'], unique=False)

    op.create_table('person_block',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_person_block_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['person.id'], name=op.f('fk_person_block_target_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'target_id', name=op.f('pk_person_block'))
    )
    op.create_table('post',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('creator_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('removed', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('locked', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('updated', moot.db.types.UtcDateTime(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('nsfw', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('embed_title', sa.Text(), nullable=True),
    sa.Column('embed_description', sa.Text(), nullable=True),
    sa.Column('thumbnail_url', sa.Text(), nullable=True),
    sa.Column('ap_id', sa.Text(), nullable=False),
    sa.Column('local', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('embed_video_url', sa.Text(), nullable=True),
    sa.Column('language_id', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('featured_community', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('featured_local', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('url_content_type', sa.Text(), nullable=True),
    sa.Column('alt_text', sa.Text(), nullable=True),
    sa.Column('comments', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('score', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('upvotes', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('downvotes', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('newest_comment_time', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('newest_comment_time_necro', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('controversy_rank', sa.Float(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_post_community_id_community'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['creator_id'], ['person.id'], name=op.f('fk_post_creator_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post')),
    sa.UniqueConstraint('ap_id', name=op.f('uq_post_ap_id'))
    )
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.create_index('ix_post_comments', ['comments'], unique=False)
        batch_op.create_index('ix_post_controversy', ['controversy_rank'], unique=False)
        batch_op.create_index('ix_post_creator_published', ['creator_id', 'published'], unique=False)
        batch_op.create_index('ix_post_featured_community', ['community_id', 'published'], unique=False, sqlite_where=sa.text('featured_community = 1'), postgresql_where='featured_community')
        batch_op.create_index('ix_post_featured_local', ['published'], unique=False, sqlite_where=sa.text('featured_local = 1'), postgresql_where='featured_local')
        batch_op.create_index('ix_post_necro_score', ['newest_comment_time_necro', 'score', 'community_id'], unique=False)
        batch_op.create_index('ix_post_newest_comment_time', ['newest_comment_time'], unique=False)
        batch_op.create_index('ix_post_published_score', ['published', 'score', 'community_id'], unique=False)
        batch_op.create_index('ix_post_score', ['score'], unique=False)
        batch_op.create_index('ix_post_url', ['url'], unique=False)

    op.create_table('private_message',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('creator_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('read', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('updated', moot.db.types.UtcDateTime(), nullable=True),
    sa.Column('ap_id', sa.Text(), nullable=False),
    sa.Column('local', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.ForeignKeyConstraint(['creator_id'], ['person.id'], name=op.f('fk_private_message_creator_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_id'], ['person.id'], name=op.f('fk_private_message_recipient_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_private_message')),
    sa.UniqueConstraint('ap_id', name=op.f('uq_private_message_ap_id'))
    )
    with op.batch_alter_table('private_message', schema=None) as batch_op:
        batch_op.create_index('ix_private_message_creator', ['creator_id', 'published'], unique=False)
        batch_op.create_index('ix_private_message_recipient', ['recipient_id', 'read'], unique=False)

    op.create_table('site_language',
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('language_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_site_language_site_id_site'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('site_id', 'language_id', name=op.f('pk_site_language'))
    )
    op.create_table('admin_purge_comment',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('admin_person_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('when_', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['admin_person_id'], ['person.id'], name=op.f('fk_admin_purge_comment_admin_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_admin_purge_comment_post_id_post'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_purge_comment'))
    )
    with op.batch_alter_table('admin_purge_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_admin_purge_comment_admin_person_id'), ['admin_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_admin_purge_comment_post_id'), ['post_id'], unique=False)

    op.create_table('comment',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('creator_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('removed', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('updated', moot.db.types.UtcDateTime(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('ap_id', sa.Text(), nullable=False),
    sa.Column('local', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('path', sa.String(length=1000).with_variant(sa.String(length=1000, collation='C'), 'postgresql'), server_default='0', nullable=False),
    sa.Column('depth', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('distinguished', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('language_id', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('score', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('upvotes', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('downvotes', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('child_count', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('controversy_rank', sa.Float(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['creator_id'], ['person.id'], name=op.f('fk_comment_creator_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_comment_post_id_post'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment')),
    sa.UniqueConstraint('ap_id', name=op.f('uq_comment_ap_id'))
    )
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.create_index('ix_comment_creator_published', ['creator_id', 'published'], unique=False)
        batch_op.create_index('ix_comment_post_path', ['post_id', 'path'], unique=False)
        batch_op.create_index('ix_comment_published', ['published'], unique=False)

    op.create_table('custom_emoji',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('local_site_id', sa.Integer(), nullable=False),
    sa.Column('shortcode', sa.String(length=128), nullable=False),
    sa.Column('image_url', sa.Text(), nullable=False),
    sa.Column('alt_text', sa.Text(), nullable=False),
    sa.Column('category', sa.Text(), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('updated', moot.db.types.UtcDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['local_site_id'], ['local_site.id'], name=op.f('fk_custom_emoji_local_site_id_local_site'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custom_emoji')),
    sa.UniqueConstraint('shortcode', name=op.f('uq_custom_emoji_shortcode'))
    )
    op.create_table('email_verification',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('local_user_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.Text(), nullable=False),
    sa.Column('verification_token', sa.Text(), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['local_user_id'], ['local_user.id'], name=op.f('fk_email_verification_local_user_id_local_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_verification')),
    sa.UniqueConstraint('verification_token', name=op.f('uq_email_verification_verification_token'))
    )
    with op.batch_alter_table('email_verification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_email_verification_local_user_id'), ['local_user_id'], unique=False)

    op.create_table('local_site_rate_limit',
    sa.Column('local_site_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.Integer(), server_default=sa.text('(180)'), nullable=False),
    sa.Column('message_per_second', sa.Integer(), server_default=sa.text('(60)'), nullable=False),
    sa.Column('post', sa.Integer(), server_default=sa.text('6'), nullable=False),
    sa.Column('post_per_second', sa.Integer(), server_default=sa.text('(600)'), nullable=False),
    sa.Column('register', sa.Integer(), server_default=sa.text('3'), nullable=False),
    sa.Column('register_per_second', sa.Integer(), server_default=sa.text('(3600)'), nullable=False),
    sa.Column('image', sa.Integer(), server_default=sa.text('6'), nullable=False),
    sa.Column('image_per_second', sa.Integer(), server_default=sa.text('(3600)'), nullable=False),
    sa.Column('comment', sa.Integer(), server_default=sa.text('6'), nullable=False),
    sa.Column('comment_per_second', sa.Integer(), server_default=sa.text('(600)'), nullable=False),
    sa.Column('search', sa.Integer(), server_default=sa.text('(60)'), nullable=False),
    sa.Column('search_per_second', sa.Integer(), server_default=sa.text('(600)'), nullable=False),
    sa.Column('import_user_settings', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('import_user_settings_per_second', sa.Integer(), server_default=sa.text('(86400)'), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('updated', moot.db.types.UtcDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['local_site_id'], ['local_site.id'], name=op.f('fk_local_site_rate_limit_local_site_id_local_site'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('local_site_id', name=op.f('pk_local_site_rate_limit'))
    )
    op.create_table('local_user_language',
    sa.Column('local_user_id', sa.Integer(), nullable=False),
    sa.Column('language_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['language_id'], ['language.id'], name=op.f('fk_local_user_language_language_id_language'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['local_user_id'], ['local_user.id'], name=op.f('fk_local_user_language_local_user_id_local_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('local_user_id', 'language_id', name=op.f('pk_local_user_language'))
    )
    op.create_table('login_token',
    sa.Column('token', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('ip', sa.Text(), nullable=True),
    sa.Column('user_agent', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['local_user.id'], name=op.f('fk_login_token_user_id_local_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token', name=op.f('pk_login_token'))
    )
    with op.batch_alter_table('login_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_token_user_id'), ['user_id'], unique=False)

    op.create_table('mod_feature_post',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('mod_person_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('featured', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('when_', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('is_featured_community', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.ForeignKeyConstraint(['mod_person_id'], ['person.id'], name=op.f('fk_mod_feature_post_mod_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_mod_feature_post_post_id_post'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mod_feature_post'))
    )
    with op.batch_alter_table('mod_feature_post', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mod_feature_post_mod_person_id'), ['mod_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mod_feature_post_post_id'), ['post_id'], unique=False)
        batch_op.create_index('ix_mod_feature_post_when', ['when_'], unique=False)

    op.create_table('mod_lock_post',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('mod_person_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('locked', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('when_', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['mod_person_id'], ['person.id'], name=op.f('fk_mod_lock_post_mod_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_mod_lock_post_post_id_post'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mod_lock_post'))
    )
    with op.batch_alter_table('mod_lock_post', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mod_lock_post_mod_person_id'), ['mod_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mod_lock_post_post_id'), ['post_id'], unique=False)
        batch_op.create_index('ix_mod_lock_post_when', ['when_'], unique=False)

    op.create_table('mod_remove_post',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('mod_person_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('removed', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('when_', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['mod_person_id'], ['person.id'], name=op.f('fk_mod_remove_post_mod_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_mod_remove_post_post_id_post'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mod_remove_post'))
    )
    with op.batch_alter_table('mod_remove_post', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mod_remove_post_mod_person_id'), ['mod_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mod_remove_post_post_id'), ['post_id'], unique=False)
        batch_op.create_index('ix_mod_remove_post_when', ['when_'], unique=False)

    op.create_table('password_reset_request',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('token_hash', sa.Text(), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('local_user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['local_user_id'], ['local_user.id'], name=op.f('fk_password_reset_request_local_user_id_local_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset_request')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_password_reset_request_token_hash'))
    )
    with op.batch_alter_table('password_reset_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_reset_request_local_user_id'), ['local_user_id'], unique=False)

    op.create_table('person_post_aggregates',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('read_comments', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_person_post_aggregates_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_person_post_aggregates_post_id_post'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'post_id', name=op.f('pk_person_post_aggregates'))
    )
    op.create_table('post_hide',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_post_hide_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_post_hide_post_id_post'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', 'person_id', name=op.f('pk_post_hide'))
    )
    with op.batch_alter_table('post_hide', schema=None) as batch_op:
        batch_op.create_index('ix_post_hide_person', ['person_id', 'published'], unique=False)

    op.create_table('post_like',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_post_like_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_post_like_post_id_post'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', 'person_id', name=op.f('pk_post_like'))
    )
    with op.batch_alter_table('post_like', schema=None) as batch_op:
        batch_op.create_index('ix_post_like_person', ['person_id', 'published'], unique=False)

    op.create_table('post_read',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_post_read_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_post_read_post_id_post'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', 'person_id', name=op.f('pk_post_read'))
    )
    with op.batch_alter_table('post_read', schema=None) as batch_op:
        batch_op.create_index('ix_post_read_person', ['person_id', 'published'], unique=False)

    op.create_table('post_report',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('creator_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('original_post_name', sa.String(length=200), nullable=False),
    sa.Column('original_post_url', sa.Text(), nullable=True),
    sa.Column('original_post_body', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('resolved', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('resolver_id', sa.Integer(), nullable=True),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('updated', moot.db.types.UtcDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['creator_id'], ['person.id'], name=op.f('fk_post_report_creator_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_post_report_post_id_post'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resolver_id'], ['person.id'], name=op.f('fk_post_report_resolver_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_report')),
    sa.UniqueConstraint('post_id', 'creator_id', name=op.f('uq_post_report_post_id'))
    )
    with op.batch_alter_table('post_report', schema=None) as batch_op:
        batch_op.create_index('ix_post_report_resolved_published', ['resolved', 'published'], unique=False)

    op.create_table('post_saved',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_post_saved_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_post_saved_post_id_post'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', 'person_id', name=op.f('pk_post_saved'))
    )
    with op.batch_alter_table('post_saved', schema=None) as batch_op:
        batch_op.create_index('ix_post_saved_person', ['person_id', 'published'], unique=False)

    op.create_table('private_message_report',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('creator_id', sa.Integer(), nullable=False),
    sa.Column('private_message_id', sa.Integer(), nullable=False),
    sa.Column('original_pm_text', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('resolved', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('resolver_id', sa.Integer(), nullable=True),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('updated', moot.db.types.UtcDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['creator_id'], ['person.id'], name=op.f('fk_private_message_report_creator_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['private_message_id'], ['private_message.id'], name=op.f('fk_private_message_report_private_message_id_private_message'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resolver_id'], ['person.id'], name=op.f('fk_private_message_report_resolver_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_private_message_report')),
    sa.UniqueConstraint('private_message_id', 'creator_id', name=op.f('uq_private_message_report_private_message_id'))
    )
    with op.batch_alter_table('private_message_report', schema=None) as batch_op:
        batch_op.create_index('ix_private_message_report_resolved_published', ['resolved', 'published'], unique=False)

    op.create_table('registration_application',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('local_user_id', sa.Integer(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('admin_id', sa.Integer(), nullable=True),
    sa.Column('deny_reason', sa.Text(), nullable=True),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['local_user_id'], ['local_user.id'], name=op.f('fk_registration_application_local_user_id_local_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_application'))
    )
    op.create_table('tagline',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('local_site_id', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('updated', moot.db.types.UtcDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['local_site_id'], ['local_site.id'], name=op.f('fk_tagline_local_site_id_local_site'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tagline'))
    )
    op.create_table('comment_like',
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_comment_like_comment_id_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_comment_like_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_comment_like_post_id_post'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('comment_id', 'person_id', name=op.f('pk_comment_like'))
    )
    with op.batch_alter_table('comment_like', schema=None) as batch_op:
        batch_op.create_index('ix_comment_like_person', ['person_id', 'published'], unique=False)

    op.create_table('comment_reply',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('read', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_comment_reply_comment_id_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_id'], ['person.id'], name=op.f('fk_comment_reply_recipient_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_reply')),
    sa.UniqueConstraint('recipient_id', 'comment_id', name='uq_comment_reply_recipient_comment')
    )
    with op.batch_alter_table('comment_reply', schema=None) as batch_op:
        batch_op.create_index('ix_comment_reply_recipient', ['recipient_id', 'read'], unique=False)

    op.create_table('comment_report',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('creator_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('original_comment_text', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('resolved', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('resolver_id', sa.Integer(), nullable=True),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.Column('updated', moot.db.types.UtcDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_comment_report_comment_id_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['creator_id'], ['person.id'], name=op.f('fk_comment_report_creator_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resolver_id'], ['person.id'], name=op.f('fk_comment_report_resolver_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_report')),
    sa.UniqueConstraint('comment_id', 'creator_id', name=op.f('uq_comment_report_comment_id'))
    )
    with op.batch_alter_table('comment_report', schema=None) as batch_op:
        batch_op.create_index('ix_comment_report_resolved_published', ['resolved', 'published'], unique=False)

    op.create_table('comment_saved',
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_comment_saved_comment_id_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_comment_saved_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('comment_id', 'person_id', name=op.f('pk_comment_saved'))
    )
    with op.batch_alter_table('comment_saved', schema=None) as batch_op:
        batch_op.create_index('ix_comment_saved_person', ['person_id', 'published'], unique=False)

    op.create_table('custom_emoji_keyword',
    sa.Column('custom_emoji_id', sa.Integer(), nullable=False),
    sa.Column('keyword', sa.String(length=128), nullable=False),
    sa.ForeignKeyConstraint(['custom_emoji_id'], ['custom_emoji.id'], name=op.f('fk_custom_emoji_keyword_custom_emoji_id_custom_emoji'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('custom_emoji_id', 'keyword', name=op.f('pk_custom_emoji_keyword'))
    )
    op.create_table('mod_remove_comment',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('mod_person_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('removed', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('when_', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_mod_remove_comment_comment_id_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mod_person_id'], ['person.id'], name=op.f('fk_mod_remove_comment_mod_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mod_remove_comment'))
    )
    with op.batch_alter_table('mod_remove_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mod_remove_comment_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mod_remove_comment_mod_person_id'), ['mod_person_id'], unique=False)
        batch_op.create_index('ix_mod_remove_comment_when', ['when_'], unique=False)

    op.create_table('person_mention',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('read', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('published', moot.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_person_mention_comment_id_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_id'], ['person.id'], name=op.f('fk_person_mention_recipient_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_mention')),
    sa.UniqueConstraint('recipient_id', 'comment_id', name='uq_person_mention_recipient_comment')
    )
    with op.batch_alter_table('person_mention', schema=None) as batch_op:
        batch_op.create_index('ix_person_mention_recipient', ['recipient_id', 'read'], unique=False)

    _dialect_specific_upgrade()


def downgrade() -> None:
    with op.batch_alter_table('person_mention', schema=None) as batch_op:
        batch_op.drop_index('ix_person_mention_recipient')

    op.drop_table('person_mention')
    with op.batch_alter_table('mod_remove_comment', schema=None) as batch_op:
        batch_op.drop_index('ix_mod_remove_comment_when')
        batch_op.drop_index(batch_op.f('ix_mod_remove_comment_mod_person_id'))
        batch_op.drop_index(batch_op.f('ix_mod_remove_comment_comment_id'))

    op.drop_table('mod_remove_comment')
    op.drop_table('custom_emoji_keyword')
    with op.batch_alter_table('comment_saved', schema=None) as batch_op:
        batch_op.drop_index('ix_comment_saved_person')

    op.drop_table('comment_saved')
    with op.batch_alter_table('comment_report', schema=None) as batch_op:
        batch_op.drop_index('ix_comment_report_resolved_published')

    op.drop_table('comment_report')
    with op.batch_alter_table('comment_reply', schema=None) as batch_op:
        batch_op.drop_index('ix_comment_reply_recipient')

    op.drop_table('comment_reply')
    with op.batch_alter_table('comment_like', schema=None) as batch_op:
        batch_op.drop_index('ix_comment_like_person')

    op.drop_table('comment_like')
    op.drop_table('tagline')
    op.drop_table('registration_application')
    with op.batch_alter_table('private_message_report', schema=None) as batch_op:
        batch_op.drop_index('ix_private_message_report_resolved_published')

    op.drop_table('private_message_report')
    with op.batch_alter_table('post_saved', schema=None) as batch_op:
        batch_op.drop_index('ix_post_saved_person')

    op.drop_table('post_saved')
    with op.batch_alter_table('post_report', schema=None) as batch_op:
        batch_op.drop_index('ix_post_report_resolved_published')

    op.drop_table('post_report')
    with op.batch_alter_table('post_read', schema=None) as batch_op:
        batch_op.drop_index('ix_post_read_person')

    op.drop_table('post_read')
    with op.batch_alter_table('post_like', schema=None) as batch_op:
        batch_op.drop_index('ix_post_like_person')

    op.drop_table('post_like')
    with op.batch_alter_table('post_hide', schema=None) as batch_op:
        batch_op.drop_index('ix_post_hide_person')

    op.drop_table('post_hide')
    op.drop_table('person_post_aggregates')
    with op.batch_alter_table('password_reset_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_reset_request_local_user_id'))

    op.drop_table('password_reset_request')
    with op.batch_alter_table('mod_remove_post', schema=None) as batch_op:
        batch_op.drop_index('ix_mod_remove_post_when')
        batch_op.drop_index(batch_op.f('ix_mod_remove_post_post_id'))
        batch_op.drop_index(batch_op.f('ix_mod_remove_post_mod_person_id'))

    op.drop_table('mod_remove_post')
    with op.batch_alter_table('mod_lock_post', schema=None) as batch_op:
        batch_op.drop_index('ix_mod_lock_post_when')
        batch_op.drop_index(batch_op.f('ix_mod_lock_post_post_id'))
        batch_op.drop_index(batch_op.f('ix_mod_lock_post_mod_person_id'))

    op.drop_table('mod_lock_post')
    with op.batch_alter_table('mod_feature_post', schema=None) as batch_op:
        batch_op.drop_index('ix_mod_feature_post_when')
        batch_op.drop_index(batch_op.f('ix_mod_feature_post_post_id'))
        batch_op.drop_index(batch_op.f('ix_mod_feature_post_mod_person_id'))

    op.drop_table('mod_feature_post')
    with op.batch_alter_table('login_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_token_user_id'))

    op.drop_table('login_token')
    op.drop_table('local_user_language')
    op.drop_table('local_site_rate_limit')
    with op.batch_alter_table('email_verification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_email_verification_local_user_id'))

    op.drop_table('email_verification')
    op.drop_table('custom_emoji')
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_index('ix_comment_published')
        batch_op.drop_index('ix_comment_post_path')
        batch_op.drop_index('ix_comment_creator_published')

    op.drop_table('comment')
    with op.batch_alter_table('admin_purge_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_admin_purge_comment_post_id'))
        batch_op.drop_index(batch_op.f('ix_admin_purge_comment_admin_person_id'))

    op.drop_table('admin_purge_comment')
    op.drop_table('site_language')
    with op.batch_alter_table('private_message', schema=None) as batch_op:
        batch_op.drop_index('ix_private_message_recipient')
        batch_op.drop_index('ix_private_message_creator')

    op.drop_table('private_message')
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.drop_index('ix_post_url')
        batch_op.drop_index('ix_post_score')
        batch_op.drop_index('ix_post_published_score')
        batch_op.drop_index('ix_post_newest_comment_time')
        batch_op.drop_index('ix_post_necro_score')
        batch_op.drop_index('ix_post_featured_local', sqlite_where=sa.text('featured_local = 1'), postgresql_where='featured_local')
        batch_op.drop_index('ix_post_featured_community', sqlite_where=sa.text('featured_community = 1'), postgresql_where='featured_community')
        batch_op.drop_index('ix_post_creator_published')
        batch_op.drop_index('ix_post_controversy')
        batch_op.drop_index('ix_post_comments')

    op.drop_table('post')
    op.drop_table('person_block')
    with op.batch_alter_table('mod_transfer_community', schema=None) as batch_op:
        batch_op.drop_index('ix_mod_transfer_community_when')
        batch_op.drop_index(batch_op.f('ix_mod_transfer_community_other_person_id'))
        batch_op.drop_index(batch_op.f('ix_mod_transfer_community_mod_person_id'))
        batch_op.drop_index(batch_op.f('ix_mod_transfer_community_community_id'))

    op.drop_table('mod_transfer_community')
    with op.batch_alter_table('mod_remove_community', schema=None) as batch_op:
        batch_op.drop_index('ix_mod_remove_community_when')
        batch_op.drop_index(batch_op.f('ix_mod_remove_community_mod_person_id'))
        batch_op.drop_index(batch_op.f('ix_mod_remove_community_community_id'))

    op.drop_table('mod_remove_community')
    with op.batch_alter_table('mod_hide_community', schema=None) as batch_op:
        batch_op.drop_index('ix_mod_hide_community_when')
        batch_op.drop_index(batch_op.f('ix_mod_hide_community_mod_person_id'))
        batch_op.drop_index(batch_op.f('ix_mod_hide_community_community_id'))

    op.drop_table('mod_hide_community')
    with op.batch_alter_table('mod_ban_from_community', schema=None) as batch_op:
        batch_op.drop_index('ix_mod_ban_from_community_when')
        batch_op.drop_index(batch_op.f('ix_mod_ban_from_community_other_person_id'))
        batch_op.drop_index(batch_op.f('ix_mod_ban_from_community_mod_person_id'))
        batch_op.drop_index(batch_op.f('ix_mod_ban_from_community_community_id'))

    op.drop_table('mod_ban_from_community')
    with op.batch_alter_table('mod_ban', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mod_ban_other_person_id'))
        batch_op.drop_index(batch_op.f('ix_mod_ban_mod_person_id'))

    op.drop_table('mod_ban')
    with op.batch_alter_table('mod_add_community', schema=None) as batch_op:
        batch_op.drop_index('ix_mod_add_community_when')
        batch_op.drop_index(batch_op.f('ix_mod_add_community_other_person_id'))
        batch_op.drop_index(batch_op.f('ix_mod_add_community_mod_person_id'))
        batch_op.drop_index(batch_op.f('ix_mod_add_community_community_id'))

    op.drop_table('mod_add_community')
    with op.batch_alter_table('mod_add', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mod_add_other_person_id'))
        batch_op.drop_index(batch_op.f('ix_mod_add_mod_person_id'))

    op.drop_table('mod_add')
    op.drop_table('local_user')
    op.drop_table('local_site')
    op.drop_table('instance_block')
    op.drop_table('community_person_ban')
    with op.batch_alter_table('community_moderator', schema=None) as batch_op:
        batch_op.drop_index('ix_community_moderator_person')

    op.drop_table('community_moderator')
    with op.batch_alter_table('community_follower', schema=None) as batch_op:
        batch_op.drop_index('ix_community_follower_person')

    op.drop_table('community_follower')
    op.drop_table('community_block')
    with op.batch_alter_table('community_activity', schema=None) as batch_op:
        batch_op.drop_index('ix_community_activity_last_active')
        batch_op.drop_index('ix_community_activity_community_last_active')

    op.drop_table('community_activity')
    with op.batch_alter_table('admin_purge_post', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_admin_purge_post_community_id'))
        batch_op.drop_index(batch_op.f('ix_admin_purge_post_admin_person_id'))

    op.drop_table('admin_purge_post')
    with op.batch_alter_table('admin_purge_person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_admin_purge_person_admin_person_id'))

    op.drop_table('admin_purge_person')
    with op.batch_alter_table('admin_purge_community', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_admin_purge_community_admin_person_id'))

    op.drop_table('admin_purge_community')
    op.drop_table('site')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index('ix_person_local_last_active')
        batch_op.drop_index(batch_op.f('ix_person_instance_id'))

    op.drop_table('person')
    op.drop_table('federation_blocklist')
    op.drop_table('federation_allowlist')
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.drop_index('ix_community_users_active_month')
        batch_op.drop_index('ix_community_subscribers')
        batch_op.drop_index('ix_community_published')
        batch_op.drop_index(batch_op.f('ix_community_instance_id'))

    op.drop_table('community')
    op.drop_table('site_aggregates')
    op.drop_table('secret')
    op.drop_table('local_site_url_blocklist')
    op.drop_table('language')
    op.drop_table('instance')
    op.drop_table('captcha_answer')
    op.drop_table('ap_outbox')
    with op.batch_alter_table('ap_inbox', schema=None) as batch_op:
        batch_op.drop_index('ix_ap_inbox_state_next')

    op.drop_table('ap_inbox')
    op.drop_table('ap_fanout')
    op.drop_table('ap_delivery')


def _dialect_specific_upgrade() -> None:
    # Indexes on expressions: autogenerate skips them, since SQLite cannot reflect them.
    op.create_index("ix_comment_post_parent", "comment",
                    ["post_id", sa.text("rtrim(path, '0123456789')")])
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in search_sql.sqlite_statements():
            op.execute(statement)
        # A community's posts by time; PostgreSQL's also hold the score (decision 0054).
        op.create_index("ix_post_community_published", "post", ["community_id", "published"])
        op.create_index("ix_post_community_necro", "post",
                        ["community_id", "newest_comment_time_necro"])
    else:
        op.create_index("ix_post_community_published_score", "post",
                        ["community_id", "published", "score"])
        op.create_index("ix_post_community_necro_score", "post",
                        ["community_id", "newest_comment_time_necro", "score"])
        op.execute(ranking.PG_HOT_RANK_FUNCTION)
        for statement in search_sql.pg_statements():
            op.execute(statement)
    fill_counts.fill(bind)  # the site aggregates row, counted from the tables
