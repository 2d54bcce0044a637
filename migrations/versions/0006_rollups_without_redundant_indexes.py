"""rollups without their redundant unit indexes

The unique keys of `rollups` and `rollup_states` start with `unit_id`, so they serve every
lookup by unit; the separate index on `unit_id` only cost each write (a fifth of the time of
writing a rebuild's rows).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 10:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rollups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rollups_unit_id'))
    with op.batch_alter_table('rollup_states', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rollup_states_unit_id'))


def downgrade():
    with op.batch_alter_table('rollup_states', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rollup_states_unit_id'), ['unit_id'], unique=False)
    with op.batch_alter_table('rollups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rollups_unit_id'), ['unit_id'], unique=False)
