"""discussions: questions on lessons, cohort forum topics, posts, reads, follows, reports, notices

Revision ID: 0020
Revises: 0015
Create Date: 2026-12-07 11:34:17.222631

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('discussion_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('email_mode', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_discussion_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_discussion_preferences'))
    )
    op.create_table('discussion_threads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('cohort_id', sa.Integer(), nullable=True),
    sa.Column('learner_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_post_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('post_count', sa.Integer(), nullable=False),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('answered', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_discussion_threads_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_discussion_threads_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_discussion_threads_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_discussion_threads_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['learner_id'], ['users.id'], name=op.f('fk_discussion_threads_learner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_threads'))
    )
    with op.batch_alter_table('discussion_threads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_threads_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index('ix_discussion_threads_course_cohort', ['course_id', 'cohort_id'], unique=False)
        batch_op.create_index('ix_discussion_threads_list', ['activity_id', 'pinned', 'last_post_at'], unique=False)

    op.create_table('discussion_follows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['discussion_threads.id'], name=op.f('fk_discussion_follows_thread_id_discussion_threads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_discussion_follows_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_follows')),
    sa.UniqueConstraint('thread_id', 'user_id', name=op.f('uq_discussion_follows_thread_id_user_id'))
    )
    with op.batch_alter_table('discussion_follows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_follows_user_id'), ['user_id'], unique=False)

    op.create_table('discussion_posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_discussion_posts_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thread_id'], ['discussion_threads.id'], name=op.f('fk_discussion_posts_thread_id_discussion_threads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_posts')),
    sa.UniqueConstraint('thread_id', 'number', name=op.f('uq_discussion_posts_thread_id_number'))
    )
    with op.batch_alter_table('discussion_posts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_posts_author_id'), ['author_id'], unique=False)

    op.create_table('discussion_reads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('read_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['discussion_threads.id'], name=op.f('fk_discussion_reads_thread_id_discussion_threads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_discussion_reads_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_reads')),
    sa.UniqueConstraint('user_id', 'thread_id', name=op.f('uq_discussion_reads_user_id_thread_id'))
    )
    with op.batch_alter_table('discussion_reads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_reads_thread_id'), ['thread_id'], unique=False)

    op.create_table('discussion_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['discussion_posts.id'], name=op.f('fk_discussion_notices_post_id_discussion_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_discussion_notices_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_notices')),
    sa.UniqueConstraint('user_id', 'post_id', name=op.f('uq_discussion_notices_user_id_post_id'))
    )
    with op.batch_alter_table('discussion_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_notices_emailed_at'), ['emailed_at'], unique=False)

    op.create_table('discussion_post_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('written_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['discussion_posts.id'], name=op.f('fk_discussion_post_revisions_post_id_discussion_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_post_revisions'))
    )
    with op.batch_alter_table('discussion_post_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_post_revisions_post_id'), ['post_id'], unique=False)

    op.create_table('discussion_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['discussion_posts.id'], name=op.f('fk_discussion_reports_post_id_discussion_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_discussion_reports_reporter_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_reports')),
    sa.UniqueConstraint('post_id', 'reporter_id', name=op.f('uq_discussion_reports_post_id_reporter_id'))
    )
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('discussions_by_cohort', sa.Boolean(), server_default=sa.true(), nullable=False))



def downgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_column('discussions_by_cohort')

    op.drop_table('discussion_reports')
    with op.batch_alter_table('discussion_post_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_post_revisions_post_id'))

    op.drop_table('discussion_post_revisions')
    with op.batch_alter_table('discussion_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_notices_emailed_at'))

    op.drop_table('discussion_notices')
    with op.batch_alter_table('discussion_reads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_reads_thread_id'))

    op.drop_table('discussion_reads')
    with op.batch_alter_table('discussion_posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_posts_author_id'))

    op.drop_table('discussion_posts')
    with op.batch_alter_table('discussion_follows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_follows_user_id'))

    op.drop_table('discussion_follows')
    with op.batch_alter_table('discussion_threads', schema=None) as batch_op:
        batch_op.drop_index('ix_discussion_threads_list')
        batch_op.drop_index('ix_discussion_threads_course_cohort')
        batch_op.drop_index(batch_op.f('ix_discussion_threads_cohort_id'))

    op.drop_table('discussion_threads')
    op.drop_table('discussion_preferences')
