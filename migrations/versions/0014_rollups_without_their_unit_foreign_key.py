"""rollups without their foreign key to the org units

A rebuild of the whole tree dropped this key before writing its rows and added it back after
(checked row by row, the key made the insert of a country's rows eighteen times as slow).
Dropping it takes a lock on `org_units` that waits for every transaction that has read a unit,
while the rebuild holds its own lock: a report's or a plan's step, which reads the user's unit
before it asks for the rebuild's lock, deadlocked with it. The rows are derived (a rebuild
writes them again) and org units are never deleted, so the key guarded nothing a rebuild does
not restore.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 13:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rollups', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_rollups_unit_id_org_units'), type_='foreignkey')


def downgrade():
    with op.batch_alter_table('rollups', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_rollups_unit_id_org_units'), 'org_units', ['unit_id'], ['id'])
