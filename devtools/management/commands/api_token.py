"""Print a fresh API token of an approved organisation made for the purpose (the benchmark's and
a developer's way to try the API): `manage.py api_token`."""

from django.core.management.base import BaseCommand

from api.tokens import create_token
from employers.models import Organisation, OrganisationStatus

BENCH_COMMERCIAL_REGISTRATION = "7000000001"


class Command(BaseCommand):
    help = "Print a new 30-day API token of the (approved) test organisation, made if missing."

    def handle(self, *args, **options):
        organisation, _created = Organisation.objects.get_or_create(
            commercial_registration=BENCH_COMMERCIAL_REGISTRATION,
            defaults={
                "name_ar": "مستشفى التجربة",
                "name_en": "Test Hospital",
                "facility_licence": "MOH-TEST",
                "city": "الرياض",
                "contact_email": "api-test@hospital.example.sa",
                "status": OrganisationStatus.APPROVED,
            },
        )
        self.stdout.write(create_token(organisation, name="test", days=30, created_by=None).text)
