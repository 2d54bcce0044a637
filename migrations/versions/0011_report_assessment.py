"""reports keep the commune's assessment and proposals

A commune's BÁO CÁO ends with its own words on how the period went and what it asks of the
district (its part III). Older reports have none.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 04:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assessment', sa.Text(), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_column('assessment')
