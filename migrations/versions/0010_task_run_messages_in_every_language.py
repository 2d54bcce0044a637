"""task runs keep their last message in every language of the app

A run's message was written once, in the language of the request that started it, so whoever
followed it in the other language read it untranslated. A worker now writes it in every
language and each reader gets their own. An older run keeps its message in the one language it
was written in, which every reader gets.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 19:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

task_runs = sa.table('task_runs', sa.column('id', sa.Integer), sa.column('message', sa.Text),
                     sa.column('locale', sa.String), sa.column('messages', sa.JSON))


def upgrade():
    with op.batch_alter_table('task_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('messages', sa.JSON(), nullable=False, server_default='{}'))
    connection = op.get_bind()
    written = connection.execute(sa.select(task_runs.c.id, task_runs.c.message, task_runs.c.locale).where(
        task_runs.c.message != '')).all()
    for run_id, message, locale in written:
        connection.execute(task_runs.update().where(task_runs.c.id == run_id).values(messages={locale: message}))
    with op.batch_alter_table('task_runs', schema=None) as batch_op:
        batch_op.drop_column('locale')
        batch_op.drop_column('message')


def downgrade():
    with op.batch_alter_table('task_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('locale', sa.String(length=8), nullable=False, server_default='vi'))
    connection = op.get_bind()
    for run_id, messages in connection.execute(sa.select(task_runs.c.id, task_runs.c.messages)).all():
        if messages:
            locale = 'vi' if 'vi' in messages else next(iter(messages))
            connection.execute(task_runs.update().where(task_runs.c.id == run_id).values(
                message=messages[locale], locale=locale))
    with op.batch_alter_table('task_runs', schema=None) as batch_op:
        batch_op.drop_column('messages')
