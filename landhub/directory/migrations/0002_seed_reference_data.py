"""Countries, vocabularies, the hub-staff group and the public home page.

Reference data every hub needs exists from the first migrate, so tests and a fresh install
see the same vocabularies.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from landhub.directory.vocabularies import load_countries, load_vocabularies

    load_countries(apps.get_model("directory", "Country"))
    load_vocabularies(apps.get_model("directory", "Term"))
    apps.get_model("auth", "Group").objects.get_or_create(name="hub-staff")


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("directory", "HomePage")

    # Wagtail's first migration creates a "Welcome" page; replace it with ours.
    Page.objects.filter(depth=2, content_type__model="page").delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="directory")
    locale = Locale.objects.first() or Locale.objects.create(language_code="en")
    root = Page.objects.get(depth=1)
    home = HomePage.objects.create(
        title="LandHub",
        draft_title="LandHub",
        slug="home",
        content_type=content_type,
        path=f"{root.path}0001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        live=True,
        intro=(
            "<p>The hub of the 1,000 landscapes initiative: landscape partnerships and the "
            "organizations that support them, working as one.</p>"
        ),
    )
    root.numchild = 1
    root.save(update_fields=["numchild"])
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", root_page=home, is_default_site=True, port=80)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RunPython(create_home_page, migrations.RunPython.noop),
    ]
