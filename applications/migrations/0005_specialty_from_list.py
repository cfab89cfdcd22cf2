"""The application's specialty comes from the list (profiles.Specialty, issue 25): the free text
is kept aside as `specialty_text` until 0006 maps it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0004_review_assignment"),
        ("profiles", "0005_specialty_required"),
    ]

    operations = [
        migrations.RenameField(model_name="application", old_name="specialty", new_name="specialty_text"),
        migrations.AddField(
            model_name="application",
            name="specialty",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="profiles.specialty",
                verbose_name="specialty",
            ),
        ),
    ]
