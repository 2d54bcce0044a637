"""a report to the province keeps why its last send failed in every language of the app

The failure was written once: a worker's in English with the mail library's own words
("ConnectionRefusedError: [Errno 111] Connection refused"), a release in the language of the
officer who clicked it. A worker now writes it in every language, as a task run's message,
and each reader gets their own. An older failure is kept as written, for every reader.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 20:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

dispatches = sa.table('dispatches', sa.column('id', sa.Integer), sa.column('error', sa.Text),
                      sa.column('error_messages', sa.JSON))


def upgrade():
    with op.batch_alter_table('dispatches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('error_messages', sa.JSON(), nullable=False, server_default='{}'))
    connection = op.get_bind()
    failed = connection.execute(sa.select(dispatches.c.id, dispatches.c.error).where(dispatches.c.error != '')).all()
    for dispatch_id, error in failed:
        connection.execute(dispatches.update().where(dispatches.c.id == dispatch_id).values(
            error_messages={'vi': error, 'en': error}))
    with op.batch_alter_table('dispatches', schema=None) as batch_op:
        batch_op.drop_column('error')


def downgrade():
    with op.batch_alter_table('dispatches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('error', sa.Text(), nullable=False, server_default=''))
    connection = op.get_bind()
    for dispatch_id, messages in connection.execute(sa.select(dispatches.c.id, dispatches.c.error_messages)).all():
        if messages:
            connection.execute(dispatches.update().where(dispatches.c.id == dispatch_id).values(
                error=messages.get('vi') or next(iter(messages.values()))))
    with op.batch_alter_table('dispatches', schema=None) as batch_op:
        batch_op.drop_column('error_messages')
