"""reports keep the number of their BÁO CÁO

The commune's office numbers the report when it is signed ("Số: 12/BC-UBND"). Older reports
have none: their document leaves the number blank, to be written by hand.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 22:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('document_number', sa.String(length=64), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_column('document_number')
