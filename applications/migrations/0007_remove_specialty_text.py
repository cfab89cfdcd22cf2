from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0006_specialty_from_text"),
    ]

    operations = [migrations.RemoveField(model_name="application", name="specialty_text")]
