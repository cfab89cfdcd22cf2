"""Forms of the registration app: the public self-check and the application."""

import datetime
import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.national_id import is_resident_id, validate_national_id
from core.forms import DateField, DecimalField, NormalizedDigitsField, reject_invisible_only

from .cpd import check_activity_allowed
from .documents import EXTENSIONS, detect_document_type
from .eligibility import ApplicantFacts
from .models import MAX_HOURS_PER_ACTIVITY, Application, CPDActivity, DocumentKind, Nationality, Profession
from .workflow import REQUIRED_FOR_SUBMISSION

EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"dir": "ltr", **(attrs or {})}, format="%Y-%m-%d")

    def format_value(self, value):
        # A date input holds a real date or nothing (HTML forbids any other value, and browsers
        # show it empty): what was typed wrong is not echoed; the field's error says what to type.
        formatted = super().format_value(value)
        if isinstance(formatted, str) and not ISO_DATE.fullmatch(formatted):
            return None
        return formatted


def date_field(label, **kwargs):
    return DateField(
        label=label,
        widget=DateInput(),
        error_messages={
            "invalid": _("Enter a real date, like 2026-03-31."),
            "required": _("Enter the date."),
        },
        **kwargs,
    )


def iqama_number_field(**kwargs):
    return NormalizedDigitsField(
        label=_("Iqama number"),
        max_length=20,
        help_text=_("10 digits, starting with 2. Only if you are not Saudi."),
        **kwargs,
    )


def clean_iqama_number(value):
    if not value:
        return value
    validate_national_id(value)
    if not is_resident_id(value):
        raise ValidationError(_("An iqama number starts with 2."), code="not_iqama")
    return value


def clean_date_of_birth(value):
    if value and not (EARLIEST_BIRTH_DATE <= value <= timezone.localdate()):
        raise ValidationError(_("Enter your real date of birth."), code="date_of_birth")
    return value


def clean_uploaded_document(form, name):
    """A fresh upload is checked by its content and named by its real type (the storage path
    itself is random); a document kept from before passes as it is."""
    uploaded = form.cleaned_data.get(name)
    if uploaded and name in form.files:
        kind = detect_document_type(uploaded)
        uploaded.name = f"{name}{EXTENSIONS[kind]}"
    return uploaded


class EligibilityCheckForm(forms.Form):
    """The public self-check: nothing is stored."""

    nationality = forms.ChoiceField(
        label=_("Nationality"),
        choices=Nationality.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose your nationality.")},
    )
    date_of_birth = date_field(_("Date of birth"))
    iqama_number = iqama_number_field(required=False)
    iqama_expiry = date_field(_("Iqama expiry date"), required=False)
    has_iqama_copy = forms.BooleanField(label=_("I have a copy of my iqama to upload"), required=False)
    employer_letter_date = date_field(
        _("Date of the employer's letter"),
        required=False,
        help_text=_("Leave empty if you do not have the letter yet."),
    )
    has_medical_report = forms.BooleanField(label=_("I have a medical report to upload"), required=False)

    def clean_iqama_number(self):
        return clean_iqama_number(self.cleaned_data["iqama_number"])

    def clean_date_of_birth(self):
        return clean_date_of_birth(self.cleaned_data["date_of_birth"])

    def facts(self):
        data = self.cleaned_data
        is_saudi = data["nationality"] == Nationality.SAUDI
        return ApplicantFacts(
            is_saudi=is_saudi,
            # The self-check asks no national ID from Saudis: a Saudi's ID starts with 1 by definition.
            id_number="1" if is_saudi else data["iqama_number"],
            date_of_birth=data["date_of_birth"],
            iqama_expiry=data["iqama_expiry"],
            employer_letter_date=data["employer_letter_date"],
            has_employer_letter=data["employer_letter_date"] is not None,
            has_iqama_copy=data["has_iqama_copy"],
            has_medical_report=data["has_medical_report"],
        )


class ApplicationForm(forms.ModelForm):
    """The applicant's data and documents. Every field may be left for later while a draft, so
    none is `required`; those submission needs are marked `needed_to_submit` instead (the page
    shows no "optional" on them), and the hints of the ones needed only by some applicants say by whom."""

    # What every applicant needs to submit: the workflow's fields and the employer's letter.
    ALWAYS_NEEDED = (*REQUIRED_FOR_SUBMISSION, "employer_letter_date", "employer_letter")

    iqama_number = iqama_number_field(required=False)

    class Meta:
        model = Application
        fields = [
            "nationality",
            "date_of_birth",
            "iqama_number",
            "iqama_expiry",
            "profession",
            "specialty",
            "employer",
            "employer_letter_date",
            "employer_letter",
            "iqama_copy",
            "medical_report",
        ]
        widgets = {
            "nationality": forms.RadioSelect,
            "date_of_birth": DateInput,
            "iqama_expiry": DateInput,
            "employer_letter_date": DateInput,
            "employer_letter": forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
            "iqama_copy": forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
            "medical_report": forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        }
        help_texts = {
            "iqama_expiry": _("Needed if you are not Saudi."),
            "employer_letter_date": _("The date written on the letter. It must be no older than three months."),
            "employer_letter": _("PDF, JPEG or PNG, at most 5 MB."),
            "iqama_copy": _("Needed if you are not Saudi. PDF, JPEG or PNG, at most 5 MB."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = Nationality.choices
        self.fields["profession"].choices = [("", _("Choose your profession")), *Profession.choices]
        self.fields["iqama_number"].help_text = _("Needed if you are not Saudi: 10 digits, starting with 2.")
        self.fields["medical_report"].help_text = _(
            "Needed if you are older than %(age)s. PDF, JPEG or PNG, at most 5 MB."
        ) % {"age": settings.MEDICAL_REPORT_AGE}
        for field in self.fields.values():
            field.needed_to_submit = True
        for name in self.ALWAYS_NEEDED:
            if name != "nationality":  # a radio group: its fieldset has no aria-required
                self.fields[name].widget.attrs["aria-required"] = "true"
        for name in ("date_of_birth", "iqama_expiry", "employer_letter_date"):
            self.fields[name].error_messages["invalid"] = _("Enter a real date, like 2026-03-31.")
        for kind in DocumentKind:
            # The person's file name is never stored (we name the file), so its length is no limit.
            self.fields[kind.value].max_length = None
        national_id = self.instance.applicant.national_id
        if not self.instance.iqama_number and is_resident_id(national_id):
            self.initial["iqama_number"] = national_id

    def clean_iqama_number(self):
        iqama_number = clean_iqama_number(self.cleaned_data["iqama_number"])
        if iqama_number and iqama_number != self.instance.applicant.national_id:
            raise ValidationError(
                _("Type the iqama number of your account: the ID number you log in with."), code="not_yours"
            )
        return iqama_number

    def clean_date_of_birth(self):
        return clean_date_of_birth(self.cleaned_data["date_of_birth"])

    def _clean_document(self, name):
        return clean_uploaded_document(self, name)

    def clean_employer_letter(self):
        return self._clean_document(DocumentKind.EMPLOYER_LETTER)

    def clean_iqama_copy(self):
        return self._clean_document(DocumentKind.IQAMA_COPY)

    def clean_medical_report(self):
        return self._clean_document(DocumentKind.MEDICAL_REPORT)

    def draft_data(self):
        """The cleaned values to save: every field, and the documents only when a new file was chosen."""
        documents = {kind.value for kind in DocumentKind}
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name not in documents or (name in self.files and self.cleaned_data[name])
        }


class CPDActivityForm(forms.ModelForm):
    """One continuing-education activity of the practitioner's current registration period, and
    its certificate of attendance."""

    completed_on = date_field(_("Date"))

    class Meta:
        model = CPDActivity
        fields = ["title", "provider", "completed_on", "hours", "certificate"]
        field_classes = {"hours": DecimalField}
        widgets = {
            "hours": forms.NumberInput(
                attrs={"dir": "ltr", "step": "0.5", "min": "0.5", "max": MAX_HOURS_PER_ACTIVITY}
            ),
            "certificate": forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        }
        help_texts = {
            "title": _("For example: Basic Life Support course."),
            "hours": _("As on the certificate: more than 0, at most 50 for one activity."),
            "certificate": _("PDF, JPEG or PNG, at most 5 MB."),
        }

    def __init__(self, *args, registration, **kwargs):
        super().__init__(*args, **kwargs)
        self.registration = registration
        for name in ("title", "provider"):
            self.fields[name].validators.append(reject_invisible_only)
        self.fields["certificate"].max_length = None
        self.fields["hours"].error_messages.update(
            {
                "invalid": _("Enter the hours as a number, for example 2 or 1.5."),
                "min_value": _("The hours must be more than 0."),
                "max_value": _("One activity counts at most 50 hours."),
                "max_decimal_places": _("Give the hours to one decimal place at most, for example 1.5."),
            }
        )

    def clean_completed_on(self):
        completed_on = self.cleaned_data["completed_on"]
        if completed_on > timezone.localdate():
            raise ValidationError(_("The date is in the future. Give the day the activity took place."), code="future")
        if completed_on < self.registration.period_start:
            raise ValidationError(
                _(
                    "The date is before your current registration period began (%(start)s): only "
                    "activities since count."
                ),
                code="before_period",
                params={"start": self.registration.period_start.isoformat()},
            )
        return completed_on

    def clean_certificate(self):
        return clean_uploaded_document(self, "certificate")

    def clean(self):
        cleaned_data = super().clean()
        if not self.errors:
            check_activity_allowed(self.registration.profile, self.registration, cleaned_data)
        return cleaned_data
