"""Specialties become a list kept in the database (issue 25), with a starting list per
profession; the profile's free text is kept aside as `specialty_text` until 0004 maps it."""

import django.db.models.deletion
from django.db import migrations, models

STARTING_LIST = {
    "physician": [
        ("طب الأسرة", "Family medicine"),
        ("طب عام", "General practice"),
        ("الطب الباطني", "Internal medicine"),
        ("طب الأطفال", "Paediatrics"),
        ("الجراحة العامة", "General surgery"),
        ("أمراض النساء والولادة", "Obstetrics and gynaecology"),
        ("طب الطوارئ", "Emergency medicine"),
        ("التخدير", "Anaesthesia"),
        ("الأشعة", "Radiology"),
        ("الطب النفسي", "Psychiatry"),
        ("طب العيون", "Ophthalmology"),
        ("جراحة العظام", "Orthopaedic surgery"),
        ("الأمراض الجلدية", "Dermatology"),
    ],
    "dentist": [
        ("طب الأسنان العام", "General dentistry"),
        ("تقويم الأسنان", "Orthodontics"),
        ("جراحة الفم والوجه والفكين", "Oral and maxillofacial surgery"),
        ("علاج جذور الأسنان", "Endodontics"),
        ("طب أسنان الأطفال", "Paediatric dentistry"),
        ("أمراض اللثة", "Periodontics"),
        ("تركيبات الأسنان", "Prosthodontics"),
    ],
    "pharmacist": [
        ("الصيدلة العامة", "General pharmacy"),
        ("الصيدلة السريرية", "Clinical pharmacy"),
        ("صيدلة المستشفيات", "Hospital pharmacy"),
        ("الصيدلة المجتمعية", "Community pharmacy"),
    ],
    "nurse": [
        ("تمريض عام", "General nursing"),
        ("تمريض العناية المركزة", "Critical care nursing"),
        ("تمريض الطوارئ", "Emergency nursing"),
        ("تمريض الأطفال", "Paediatric nursing"),
        ("تمريض غرف العمليات", "Operating theatre nursing"),
        ("القبالة", "Midwifery"),
    ],
    "allied_health": [
        ("العلاج الطبيعي", "Physiotherapy"),
        ("العلاج الوظيفي", "Occupational therapy"),
        ("التغذية العلاجية", "Clinical nutrition"),
        ("علاج النطق والتخاطب", "Speech and language therapy"),
        ("البصريات", "Optometry"),
        ("العلاج التنفسي", "Respiratory therapy"),
    ],
    "technician": [
        ("المختبرات الطبية", "Medical laboratory"),
        ("الأشعة التشخيصية", "Diagnostic radiography"),
        ("تقنية التخدير", "Anaesthesia technology"),
        ("تقنية الصيدلة", "Pharmacy technology"),
        ("الخدمات الطبية الطارئة", "Emergency medical services"),
        ("تقنية الأسنان", "Dental technology"),
    ],
}


def add_starting_list(apps, schema_editor):
    specialty = apps.get_model("profiles", "Specialty")
    specialty.objects.bulk_create(
        [
            specialty(profession=profession, name_ar=name_ar, name_en=name_en)
            for profession, names in STARTING_LIST.items()
            for name_ar, name_en in names
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0002_review_assignment"),
    ]

    operations = [
        migrations.CreateModel(
            name="Specialty",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "profession",
                    models.CharField(
                        choices=[
                            ("physician", "Physician"),
                            ("dentist", "Dentist"),
                            ("pharmacist", "Pharmacist"),
                            ("nurse", "Nurse"),
                            ("allied_health", "Allied health specialist"),
                            ("technician", "Technician"),
                        ],
                        max_length=20,
                        verbose_name="profession",
                    ),
                ),
                ("name_ar", models.CharField(max_length=150, verbose_name="name in Arabic")),
                (
                    "name_en",
                    models.CharField(
                        blank=True,
                        help_text=(
                            "Printed on the certificate's English side; the Arabic name is printed there while it"
                            " is empty."
                        ),
                        max_length=150,
                        verbose_name="name in English",
                    ),
                ),
                (
                    "is_offered",
                    models.BooleanField(
                        default=True,
                        help_text="Untick to stop offering it; those who already have it keep it.",
                        verbose_name="offered to applicants",
                    ),
                ),
            ],
            options={
                "verbose_name": "specialty",
                "verbose_name_plural": "specialties",
                "ordering": ["profession", "name_ar"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("profession", "name_ar"), name="profiles_specialty_unique_arabic_name"
                    )
                ],
            },
        ),
        migrations.RunPython(add_starting_list, migrations.RunPython.noop),
        migrations.RenameField(model_name="practitionerprofile", old_name="specialty", new_name="specialty_text"),
        migrations.AddField(
            model_name="practitionerprofile",
            name="specialty",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="profiles.specialty",
                verbose_name="specialty",
            ),
        ),
    ]
