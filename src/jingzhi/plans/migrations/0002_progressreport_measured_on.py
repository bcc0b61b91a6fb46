from django.db import migrations


class Migration(migrations.Migration):
    """A report's date (截至日期) is ``measured_on``; ``as_of`` is kept for the review date (评估日期) alone."""

    dependencies = [
        ("plans", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(
            model_name="progressreport",
            old_name="as_of",
            new_name="measured_on",
        ),
        migrations.AlterModelOptions(
            name="progressreport",
            options={"ordering": ["indicator", "measured_on", "id"], "verbose_name": "进度填报",
                     "verbose_name_plural": "进度填报"},
        ),
    ]
