"""commune figures read live from their reports

The communes' rollups and states are no longer stored: a commune's figures are read from its
reports, and its district is aggregated from them. Their rows are removed. The single-column
indexes on `unit_id` go too: the unique (unit_id, …) indexes already serve those lookups.
(Downgrading restores the indexes; the old version's `flask rollups rebuild` writes the
communes' rows again.)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 05:50:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

COMMUNES = "SELECT id FROM org_units WHERE level = 'commune'"


def upgrade():
    op.execute(f"DELETE FROM rollups WHERE unit_id IN ({COMMUNES})")
    op.execute(f"DELETE FROM rollup_states WHERE unit_id IN ({COMMUNES})")
    with op.batch_alter_table('rollups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rollups_unit_id'))
    with op.batch_alter_table('rollup_states', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rollup_states_unit_id'))


def downgrade():
    with op.batch_alter_table('rollup_states', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rollup_states_unit_id'), ['unit_id'], unique=False)
    with op.batch_alter_table('rollups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rollups_unit_id'), ['unit_id'], unique=False)
