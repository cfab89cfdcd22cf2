import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0004_specialty_from_text"),
    ]

    operations = [
        migrations.RemoveField(model_name="practitionerprofile", name="specialty_text"),
        migrations.AlterField(
            model_name="practitionerprofile",
            name="specialty",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="profiles.specialty",
                verbose_name="specialty",
            ),
        ),
    ]
