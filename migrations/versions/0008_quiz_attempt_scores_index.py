"""a covering index for a learner's attempt numbers, states and scores

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 04:10:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.create_index(
            'ix_quiz_attempts_learner_scores',
            ['user_id', 'activity_id', 'state', 'number', 'score'],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_quiz_attempts_learner_scores')
