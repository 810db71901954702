"""An index of the search entries by type and id, so that the SQLite full-text walk can be
bounded to the stretch of the index where one type's entries lie (``core.search``).

Wagtail owns the table, so the index is created here rather than on its model. SQLite only:
PostgreSQL answers the same searches through its GIN indexes and needs no bounds."""

from django.db import migrations

INDEX = "landhub_searchentry_type_id"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry (content_type_id, id)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_notification_group_keys"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop)]
