"""The 受理立案 (intake) stage gets a clock: categories loaded before it get the shipped default
limits (re-running ``load_catalogue`` sets the catalogue's own); open cases start the clock at
their next step."""

from django.db import migrations, models

#: The shipped defaults at the time of this migration (data/cases/catalogue.yaml).
INTAKE_LIMITS = {"normal": {"value": 4, "unit": "working_hours"}, "urgent": {"value": 1, "unit": "natural_hours"}}


def intake_limits_add(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    for category in Category.objects.all():
        limits = category.time_limits
        missing = [urgency for urgency in limits if "intake" not in limits[urgency]]
        for urgency in missing:
            limits[urgency]["intake"] = INTAKE_LIMITS.get(urgency, INTAKE_LIMITS["normal"])
        if missing:
            category.save(update_fields=["time_limits"])


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0002_satisfaction_and_self_handling'),
    ]

    operations = [
        migrations.AlterField(
            model_name='case',
            name='stage',
            field=models.CharField(blank=True, choices=[('intake', '受理立案'), ('dispatch', '派遣'), ('handle', '处置'), ('verify', '核查')], max_length=10, verbose_name='当前环节'),
        ),
        migrations.RunPython(intake_limits_add, migrations.RunPython.noop),
    ]
