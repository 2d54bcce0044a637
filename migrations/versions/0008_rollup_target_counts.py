"""rollups count the targets they add up

A rollup's target is the sum of its communes' targets; where its value does not add figures up
(an average, a minimum, a maximum, a ratio) the pages set the value against their mean, which
needs how many communes had a target. Rows computed before this take every reporting commune
as having one, which holds where every plan sets its targets; `flask rollups rebuild` counts
them exactly.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 18:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rollups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target_count', sa.Integer(), nullable=False, server_default='0'))
    op.execute("UPDATE rollups SET target_count = reporting WHERE target IS NOT NULL")


def downgrade():
    with op.batch_alter_table('rollups', schema=None) as batch_op:
        batch_op.drop_column('target_count')
