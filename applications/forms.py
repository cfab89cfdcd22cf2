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
from profiles.specialties import specialties_to_choose

from . import steps
from .cpd import check_activity_allowed
from .documents import EXTENSIONS, detect_document_type
from .eligibility import (
    ApplicantFacts,
    asks_for_iqama,
    employer_letter_date_problem,
    iqama_expiry_problem,
    needs_medical_report,
)
from .models import MAX_HOURS_PER_ACTIVITY, Application, CPDActivity, DocumentKind, Nationality, Profession
from .workflow import DECLARATION_MISSING

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


def date_field(label, error_messages=None, **kwargs):
    return DateField(
        label=label,
        widget=DateInput(),
        error_messages={
            "invalid": _("Enter a real date, like 2026-03-31."),
            "required": _("Enter the date."),
            **(error_messages or {}),
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


class EligibilityBasicsForm(forms.Form):
    """The self-check's first page: the answers that decide which other questions apply."""

    nationality = forms.ChoiceField(
        label=_("Nationality"),
        choices=Nationality.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose your nationality.")},
    )
    date_of_birth = date_field(_("Date of birth"), error_messages={"required": _("Enter your date of birth.")})

    def clean_date_of_birth(self):
        return clean_date_of_birth(self.cleaned_data["date_of_birth"])


class EligibilityCheckForm(EligibilityBasicsForm):
    """The self-check's second page: the basics again (carried in hidden fields) and only the
    questions that apply to them. Nothing is stored."""

    iqama_number = iqama_number_field(required=False)
    iqama_expiry = date_field(_("Iqama expiry date"), required=False)
    has_iqama_copy = forms.BooleanField(label=_("I have a copy of my iqama to upload"), required=False)
    employer_letter_date = date_field(
        _("Date of the employer's letter"),
        required=False,
        help_text=_("Leave empty if you do not have the letter yet."),
    )
    has_medical_report = forms.BooleanField(label=_("I have a medical report to upload"), required=False)

    def __init__(self, *args, basics, on_date, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("nationality", "date_of_birth"):
            self.fields[name].widget = forms.HiddenInput()
        self.fields["nationality"].initial = basics["nationality"]
        self.fields["date_of_birth"].initial = basics["date_of_birth"]
        if not asks_for_iqama(basics["nationality"] == Nationality.SAUDI):
            for name in ("iqama_number", "iqama_expiry", "has_iqama_copy"):
                del self.fields[name]
        if not needs_medical_report(basics["date_of_birth"], on_date, settings.MEDICAL_REPORT_AGE):
            del self.fields["has_medical_report"]

    def clean_iqama_number(self):
        return clean_iqama_number(self.cleaned_data["iqama_number"])

    def facts(self):
        data = self.cleaned_data
        is_saudi = data["nationality"] == Nationality.SAUDI
        return ApplicantFacts(
            is_saudi=is_saudi,
            # The self-check asks no national ID from Saudis: a Saudi's ID starts with 1 by definition.
            id_number="1" if is_saudi else data["iqama_number"],
            date_of_birth=data["date_of_birth"],
            iqama_expiry=data.get("iqama_expiry"),
            employer_letter_date=data["employer_letter_date"],
            has_employer_letter=data["employer_letter_date"] is not None,
            has_iqama_copy=data.get("has_iqama_copy", False),
            has_medical_report=data.get("has_medical_report", False),
        )


class ApplicationStepForm(forms.ModelForm):
    """One question page of the application (steps.py): only the questions that apply to this
    applicant. "Save draft" keeps what is typed, answered or not; "Save and continue"
    (`continuing`) also needs every question of the page answered, and the letter's and the
    iqama's dates to meet the conditions, each error on its own field."""

    step = None

    iqama_number = iqama_number_field(required=False)

    class Meta:
        model = Application
        fields = [*steps.DETAILS.questions, *steps.WORK.questions]
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
            "employer_letter_date": _("The date written on the letter. It must be no older than three months."),
            "employer_letter": _("PDF, JPEG or PNG, at most 5 MB."),
            "iqama_copy": _("PDF, JPEG or PNG, at most 5 MB."),
            "iqama_expiry": _("It must not have expired."),
        }

    def __init__(self, *args, continuing=False, on_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.continuing = continuing
        self.on_date = on_date or timezone.localdate()
        asked = steps.questions_for(self.instance, self.step, self.on_date)
        for name in list(self.fields):
            if name not in asked:
                del self.fields[name]
        for name, field in self.fields.items():
            field.needed_to_submit = True  # the page shows no "optional" on any of them
            if name != "nationality":  # a radio group: its fieldset has no aria-required
                field.widget.attrs["aria-required"] = "true"
            if name in steps.DOCUMENTS:
                # The person's file name is never stored (we name the file), so its length is no limit.
                field.max_length = None
        for name in ("date_of_birth", "iqama_expiry", "employer_letter_date"):
            if name in self.fields:
                self.fields[name].error_messages["invalid"] = _("Enter a real date, like 2026-03-31.")
        self.set_up_questions()

    def set_up_questions(self):
        """Choices and hints of this page's own questions."""

    def clean(self):
        cleaned_data = super().clean()
        if self.continuing:
            for name in self.fields:
                if name in self.errors:
                    continue
                if cleaned_data.get(name) in (None, "", False) and not (
                    name in steps.DOCUMENTS and getattr(self.instance, name)
                ):
                    self.add_error(name, ValidationError(steps.MISSING_ANSWER[name], code="missing"))
            self.check_conditions(cleaned_data)
        return cleaned_data

    def check_conditions(self, cleaned_data):
        """The conditions a page's answers can be judged on by themselves, as field errors."""

    def draft_data(self):
        """The cleaned values to save: every question asked, and the documents only when a new
        file was chosen."""
        return {
            name: self.cleaned_data[name]
            for name in self.fields
            if name not in steps.DOCUMENTS or (name in self.files and self.cleaned_data[name])
        }


class DetailsStepForm(ApplicationStepForm):
    """Step 1: what decides the other questions."""

    step = steps.DETAILS

    def set_up_questions(self):
        self.fields["nationality"].choices = Nationality.choices
        self.fields["profession"].choices = [("", _("Choose your profession")), *Profession.choices]
        self.fields["date_of_birth"].help_text = _("For example 1985-05-14.")

    def clean_date_of_birth(self):
        return clean_date_of_birth(self.cleaned_data["date_of_birth"])

    def draft_data(self):
        """The answers, and what they make void: the iqama's answers once Saudi, and a specialty
        of another profession."""
        data = super().draft_data()
        if data.get("nationality") == Nationality.SAUDI:
            data.update(iqama_number="", iqama_expiry=None)
        specialty = self.instance.specialty
        if specialty is not None and specialty.profession != data.get("profession"):
            data["specialty"] = None
        return data


class WorkStepForm(ApplicationStepForm):
    """Step 2: the specialty, the employer and the documents, with the iqama's questions and the
    medical report only for those they apply to."""

    step = steps.WORK

    def set_up_questions(self):
        specialty = self.fields["specialty"]
        specialty.queryset = specialties_to_choose(self.instance.profession, self.instance.specialty_id)
        specialty.empty_label = _("Choose your specialty")
        if not self.instance.profession:
            specialty.help_text = _("Choose your profession on the first page to see its specialties.")
        if "iqama_number" in self.fields:
            self.fields["iqama_number"].help_text = _("10 digits, starting with 2: the ID number you log in with.")
            national_id = self.instance.applicant.national_id
            if not self.instance.iqama_number and is_resident_id(national_id):
                self.initial["iqama_number"] = national_id
        if "medical_report" in self.fields:
            self.fields["medical_report"].help_text = _(
                "Needed because you are older than %(age)s. PDF, JPEG or PNG, at most 5 MB."
            ) % {"age": settings.MEDICAL_REPORT_AGE}

    def clean_iqama_number(self):
        iqama_number = clean_iqama_number(self.cleaned_data["iqama_number"])
        if iqama_number and iqama_number != self.instance.applicant.national_id:
            raise ValidationError(
                _("Type the iqama number of your account: the ID number you log in with."), code="not_yours"
            )
        return iqama_number

    def _clean_document(self, name):
        return clean_uploaded_document(self, name)

    def clean_employer_letter(self):
        return self._clean_document(DocumentKind.EMPLOYER_LETTER)

    def clean_iqama_copy(self):
        return self._clean_document(DocumentKind.IQAMA_COPY)

    def clean_medical_report(self):
        return self._clean_document(DocumentKind.MEDICAL_REPORT)

    def check_conditions(self, cleaned_data):
        letter_date = cleaned_data.get("employer_letter_date")
        if letter_date and (problem := employer_letter_date_problem(letter_date, self.on_date)):
            self.add_error("employer_letter_date", ValidationError(problem, code="letter_date"))
        expiry = cleaned_data.get("iqama_expiry")
        if expiry and (problem := iqama_expiry_problem(expiry, self.on_date)):
            self.add_error("iqama_expiry", ValidationError(problem, code="iqama_expired"))


class DeclarationForm(forms.Form):
    """Check your answers: the declaration the applicant ticks to submit."""

    declaration = forms.BooleanField(
        label=_("I declare that the data and the attached documents are correct."),
        error_messages={"required": DECLARATION_MISSING},
    )


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
