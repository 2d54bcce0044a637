"""org unit paths indexed for prefix matches

A subtree is `path LIKE '/38/%'`, and the tenant guard now limits every query of a user by
that subtree. PostgreSQL uses a btree for LIKE only with the pattern operators when the
database's collation is not C, so the index on `path` is rebuilt with them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 13:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.drop_index('ix_org_units_path')
        batch_op.create_index('ix_org_units_path', ['path'], unique=False,
                              postgresql_ops={'path': 'varchar_pattern_ops'})


def downgrade():
    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.drop_index('ix_org_units_path')
        batch_op.create_index('ix_org_units_path', ['path'], unique=False)
