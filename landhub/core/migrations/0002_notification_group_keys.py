"""Notification preferences saved under the form's old names, which no notice used, move to
the groups the notices really belong to (``core.services.delivery_for``)."""

from django.db import migrations

OLD_TO_GROUP = {
    "invitation": "directory.invitation",
    "join_request": "directory.join_request",
    "record_changed": "directory.",
    "import": "import.",
}


def forward(apps, schema_editor):
    Preference = apps.get_model("core", "NotificationPreference")
    for old, group in OLD_TO_GROUP.items():
        for pref in Preference.objects.filter(kind=old):
            if not Preference.objects.filter(user_id=pref.user_id, kind=group).exists():
                Preference.objects.create(user_id=pref.user_id, kind=group, delivery=pref.delivery)
            pref.delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
