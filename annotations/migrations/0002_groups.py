"""The three roles as groups: Viewer reads everything, Editor annotates and corrects, Fact-checker
also reviews and publishes fact-checks."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = [
    ("corpus", m) for m in ("source", "article", "paragraph", "speaker", "speakeralias", "quote")
] + [("annotations", m) for m in ("tag", "annotation", "claim", "factcheck")]

EDITOR = [
    ("annotations", "add_annotation"),
    ("annotations", "change_annotation"),
    ("annotations", "delete_annotation"),
    ("annotations", "add_claim"),
    ("annotations", "change_claim"),
    ("annotations", "add_factcheck"),
    ("annotations", "change_factcheck"),
    ("corpus", "change_quote"),
    ("corpus", "change_paragraph"),
    ("corpus", "add_speaker"),
    ("corpus", "change_speaker"),
    ("corpus", "add_speakeralias"),
    ("corpus", "change_speakeralias"),
]

FACT_CHECKER = [*EDITOR, ("annotations", "review_factcheck")]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(pairs):
        found = []
        for app_label, codename in pairs:
            found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        return found

    view = perms([(app, f"view_{model}") for app, model in READ])
    roles = {"Viewer": view, "Editor": view + perms(EDITOR), "Fact-checker": view + perms(FACT_CHECKER)}
    for name, permissions in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Viewer", "Editor", "Fact-checker"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0001_initial"),
        ("corpus", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
