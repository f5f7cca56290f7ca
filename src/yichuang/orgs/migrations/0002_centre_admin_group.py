"""The "中心管理员" group given to staff with the centre admin role.

Its permissions are refreshed after every migrate (see orgs.apps), so that models added
by later migrations are covered as well.
"""

from django.db import migrations

GROUP = "中心管理员"


def create_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=GROUP)


def drop_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_group, drop_group)]
