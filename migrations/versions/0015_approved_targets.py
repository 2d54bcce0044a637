"""approved targets: what the latest approved edition of each plan set

The rollups and the reports read a plan's targets. While an amendment was written, they read
its draft's, which the district had not approved (and only when something else made the
rollups compute again). The approved targets are now kept apart, copied at each approval;
this fills them from each plan's latest approved version.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 14:10:00

"""
import json
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    approved_targets = op.create_table(
        'approved_targets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('indicator_id', sa.Integer(), nullable=False),
        sa.Column('sex', sa.String(length=8), nullable=True),
        sa.Column('value', sa.Numeric(precision=18, scale=2), nullable=False),
        sa.ForeignKeyConstraint(['indicator_id'], ['template_indicators.id'],
                                name=op.f('fk_approved_targets_indicator_id_template_indicators')),
        sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_approved_targets_plan_id_plans'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['unit_id'], ['org_units.id'], name=op.f('fk_approved_targets_unit_id_org_units')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_approved_targets')),
        sa.UniqueConstraint('plan_id', 'indicator_id', 'sex', name=op.f('uq_approved_targets_plan_id')),
    )
    with op.batch_alter_table('approved_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approved_targets_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_approved_targets_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_approved_targets_unit_id'), ['unit_id'], unique=False)
    op.bulk_insert(approved_targets, _latest_approved_targets(op.get_bind()))


def _latest_approved_targets(connection) -> list[dict]:
    """Each plan's targets as its latest approved version holds them (the plan's content as the
    API shows it, an indicator named by its code in the plan's template)."""
    versions = connection.execute(sa.text(
        "SELECT plan.id, plan.unit_id, plan.template_id, version.content FROM plan_versions AS version "
        "JOIN plans AS plan ON plan.id = version.plan_id WHERE version.status = 'approved' "
        "AND version.number = (SELECT max(number) FROM plan_versions AS later "
        "WHERE later.plan_id = version.plan_id AND later.status = 'approved')")).all()
    indicators = {(template_id, code): indicator_id for indicator_id, template_id, code in connection.execute(
        sa.text("SELECT id, template_id, code FROM template_indicators")).all()}
    rows = []
    for plan_id, unit_id, template_id, content in versions:
        content = json.loads(content) if isinstance(content, str) else content  # SQLite's JSON is text
        for target in content.get("targets", []):
            indicator_id = indicators.get((template_id, target["indicator"]))
            if indicator_id is not None and target["value"] is not None:
                rows.append({"plan_id": plan_id, "unit_id": unit_id, "indicator_id": indicator_id,
                             "sex": target["sex"], "value": Decimal(str(target["value"]))})
    return rows


def downgrade():
    with op.batch_alter_table('approved_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approved_targets_unit_id'))
        batch_op.drop_index(batch_op.f('ix_approved_targets_plan_id'))
        batch_op.drop_index(batch_op.f('ix_approved_targets_indicator_id'))
    op.drop_table('approved_targets')
