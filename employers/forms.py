"""Forms of the employers app. Wording lives in each form's `error_messages` or field messages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import CaptchaFirstMixin, email_field, verification_code_field
from core.forms import NormalizedDigitsField, reject_bidi_controls, reject_invisible_only

from .models import MemberRole, commercial_registration_validator
from .uploads import UploadRefused, read_numbers


def text_field(label, max_length, **kwargs):
    return forms.CharField(
        label=label,
        max_length=max_length,
        validators=[reject_bidi_controls, reject_invisible_only],
        error_messages={"required": _("Fill in this field.")},
        **kwargs,
    )


class OrganisationSignupForm(CaptchaFirstMixin, forms.Form):
    """Captcha first: behind a wrong one nothing else is checked (accounts.forms.CaptchaFirstMixin)."""

    name_ar = text_field(_("Name in Arabic"), 200)
    name_en = text_field(_("Name in English"), 200, widget=forms.TextInput(attrs={"dir": "ltr"}))
    commercial_registration = NormalizedDigitsField(
        label=_("Commercial registration number"),
        max_length=20,
        help_text=_("10 digits."),
        validators=[commercial_registration_validator],
        error_messages={"required": _("Type the commercial registration number.")},
    )
    facility_licence = text_field(
        _("Facility licence number"),
        50,
        help_text=_("As on the licence from the Ministry of Health."),
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    city = text_field(_("City"), 100)
    contact_email = email_field()
    captcha = verification_code_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_email"].label = _("Contact email")
        self.fields["contact_email"].help_text = _("Decisions and the daily email of changes are sent here.")


class MembershipNumberForm(forms.Form):
    membership_number = NormalizedDigitsField(
        label=_("Membership number"),
        max_length=40,
        help_text=_("As printed on the certificate, for example 26-0000-0001."),
        error_messages={"required": _("Type a membership number.")},
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File of membership numbers"),
        help_text=_(
            "A CSV or Excel (XLSX) file of up to 5,000 rows, one membership number per row in the first column."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        error_messages={"required": _("Choose a file."), "empty": _("The file is empty.")},
    )

    def clean_file(self):
        try:
            self.numbers = read_numbers(self.cleaned_data["file"])
        except UploadRefused as refused:
            raise forms.ValidationError(refused.message, code="refused") from refused
        return self.cleaned_data["file"]


class ShareCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Share code"),
        max_length=40,
        help_text=_("The code the practitioner gave you, for example ABCD-EFGH-JKMN-PQRS."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Type the share code.")},
    )


class InvitationForm(forms.Form):
    email = email_field()
    role = forms.ChoiceField(
        label=_("Role"),
        choices=MemberRole.choices,
        initial=MemberRole.VIEWER,
        widget=forms.RadioSelect,
        help_text=_("Viewers read and download the list; administrators also change it and its members."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _("The invitation works only for the account with this email.")
