"""Forms of the update-member-data service."""

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _

from core.digits import normalize_digits
from core.forms import NormalizedDigitsField

from .membership import parse_membership_number
from .models import PractitionerProfile
from .specialties import readable_value, specialties_to_choose

UPDATABLE_FIELDS = ("mobile", "email", "city", "address", "employer", "job_title", "specialty")


class MembershipNumberForm(forms.Form):
    membership_number = NormalizedDigitsField(
        label=_("Membership number"),
        max_length=30,
        help_text=_("As on your membership card, with or without hyphens, for example 26-0000-0001."),
        error_messages={"required": _("Type your membership number.")},
    )

    error_messages = {
        "format": _("A membership number has 10 digits. Check it and type it again."),
        "not_found": _("No member data was found for this membership number."),
    }

    def __init__(self, *args, user, **kwargs):
        self.user = user
        self.profile = None
        super().__init__(*args, **kwargs)

    def clean_membership_number(self):
        number = parse_membership_number(self.cleaned_data["membership_number"])
        if number is None:
            raise forms.ValidationError(self.error_messages["format"], code="format")
        # Someone else's number gets exactly the answer of a number that does not exist.
        self.profile = PractitionerProfile.objects.filter(membership_number=number, user=self.user).first()
        if self.profile is None:
            raise forms.ValidationError(self.error_messages["not_found"], code="not_found")
        return number


class MemberDataForm(forms.ModelForm):
    class Meta:
        model = PractitionerProfile
        fields = UPDATABLE_FIELDS
        widgets = {
            "mobile": forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel", "autocomplete": "tel", "type": "tel"}),
            "email": forms.EmailInput(attrs={"dir": "ltr", "inputmode": "email", "autocomplete": "email"}),
        }
        help_texts = {
            "mobile": _("A Saudi mobile number: 05XXXXXXXX or +9665XXXXXXXX."),
            "email": _("A new email takes effect after you open the link we send to it."),
        }

    error_messages = {
        "mobile": _("Type a Saudi mobile number, like 0512345678 or +966512345678."),
    }

    def __init__(self, *args, profile, **kwargs):
        super().__init__(*args, **kwargs)
        specialty = self.fields["specialty"]
        specialty.queryset = specialties_to_choose(profile.profession, profile.specialty_id)
        specialty.empty_label = None

    def clean_mobile(self):
        raw = normalize_digits(self.cleaned_data["mobile"] or "").strip()
        if not raw:
            return ""
        try:
            number = phonenumbers.parse(raw, "SA")
        except phonenumbers.NumberParseException as error:
            raise forms.ValidationError(self.error_messages["mobile"], code="mobile") from error
        is_saudi_mobile = (
            phonenumbers.is_valid_number(number)
            and phonenumbers.region_code_for_number(number) == "SA"
            and phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
        )
        if not is_saudi_mobile:
            raise forms.ValidationError(self.error_messages["mobile"], code="mobile")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def changes(self, profile):
        """{"field": {"old": ..., "new": ...}} for each field whose value differs from `profile`
        (the specialty by its id: the request is kept as JSON)."""
        new_values = {name: self.cleaned_data[name] for name in UPDATABLE_FIELDS}
        new_values["specialty"] = new_values["specialty"].pk
        old_values = {name: profile.serializable_value(name) for name in UPDATABLE_FIELDS}
        return {
            name: {"old": old_values[name], "new": new_values[name]}
            for name in UPDATABLE_FIELDS
            if new_values[name] != old_values[name]
        }


def change_rows(changes):
    """(field label, old value, new value) for each change of {"field": {"old", "new"}}."""
    return [
        (
            PractitionerProfile._meta.get_field(name).verbose_name,
            readable_value(name, change["old"]),
            readable_value(name, change["new"]),
        )
        for name, change in changes.items()
    ]
