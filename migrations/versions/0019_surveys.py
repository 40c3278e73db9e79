"""surveys: completions, responses (a random id, no time) and answers (no sequence)

Revision ID: 0019
Revises: 0020
Create Date: 2026-12-07 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'survey_completions',
        sa.Column('activity_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_survey_completions_activity_id_activities'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_survey_completions_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('activity_id', 'user_id', name=op.f('pk_survey_completions')),
    )
    op.create_index(op.f('ix_survey_completions_user_id'), 'survey_completions', ['user_id'], unique=False)
    op.create_table(
        'survey_responses',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('activity_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('cohort_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_survey_responses_activity_id_activities'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_survey_responses_cohort_id_cohorts'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_survey_responses_user_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses')),
    )
    op.create_index(op.f('ix_survey_responses_activity_id'), 'survey_responses', ['activity_id'], unique=False)
    op.create_index(op.f('ix_survey_responses_cohort_id'), 'survey_responses', ['cohort_id'], unique=False)
    op.create_index(op.f('ix_survey_responses_user_id'), 'survey_responses', ['user_id'], unique=False)
    op.create_table(
        'survey_answers',
        sa.Column('response_id', sa.String(length=32), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('question_key', sa.String(length=60), nullable=False),
        sa.Column('facilitator_id', sa.Integer(), nullable=True),
        sa.Column('number', sa.Integer(), nullable=True),
        sa.Column('text', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['facilitator_id'], ['users.id'], name=op.f('fk_survey_answers_facilitator_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['response_id'], ['survey_responses.id'], name=op.f('fk_survey_answers_response_id_survey_responses'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('response_id', 'seq', name=op.f('pk_survey_answers')),
    )
    op.create_index(op.f('ix_survey_answers_facilitator_id'), 'survey_answers', ['facilitator_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_survey_answers_facilitator_id'), table_name='survey_answers')
    op.drop_table('survey_answers')
    op.drop_index(op.f('ix_survey_responses_user_id'), table_name='survey_responses')
    op.drop_index(op.f('ix_survey_responses_cohort_id'), table_name='survey_responses')
    op.drop_index(op.f('ix_survey_responses_activity_id'), table_name='survey_responses')
    op.drop_table('survey_responses')
    op.drop_index(op.f('ix_survey_completions_user_id'), table_name='survey_completions')
    op.drop_table('survey_completions')
