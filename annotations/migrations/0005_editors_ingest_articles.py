"""Editors and fact-checkers may add articles: the API ingests the JSON format for them."""

from django.db import migrations

ROLES = ("Editor", "Fact-checker")


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(content_type__app_label="corpus", codename="add_article").first()
    if permission is None:  # created by 0002's create_permissions on a fresh database
        return
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(content_type__app_label="corpus", codename="add_article").first()
    if permission is not None:
        for group in Group.objects.filter(name__in=ROLES):
            group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [("annotations", "0004_annotation_note_search")]

    operations = [migrations.RunPython(grant, revoke)]
