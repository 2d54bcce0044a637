"""task runs keep the language of the request that started them

A worker writes a run's messages for whoever follows it, and has no request to read the
language from. The page's or the API client's language at the start is kept with the run;
older runs, and runs of the command line or of beat, read in Vietnamese.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 17:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('task_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=8), nullable=False, server_default='vi'))


def downgrade():
    with op.batch_alter_table('task_runs', schema=None) as batch_op:
        batch_op.drop_column('locale')
