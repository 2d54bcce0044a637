"""commune figures read live from their reports

The communes' rollups and states are no longer stored: a commune's figures are read from its
reports, and its district is aggregated from them. Their rows are removed. (After a downgrade,
the old version's `flask rollups rebuild` writes the communes' rows again.)

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


def downgrade():
    pass  # the rows removed are derived: a rebuild writes them again
