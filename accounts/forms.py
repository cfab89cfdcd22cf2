"""Forms of the accounts app. Wording lives in each form's `error_messages`."""

import logging

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.auth.forms import SetPasswordForm as DjangoSetPasswordForm
from django.contrib.auth.signals import user_login_failed
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.emails import queue_rendered_email
from core.forms import NormalizedDigitsField, reject_bidi_controls

from .captcha import VerificationCodeField, VerificationCodeInput
from .lockout import account_failure_limit_reached, account_failures_key, normalize_login, record_account_failure
from .national_id import validate_national_id
from .passwords import check_current_password
from .two_factor import confirm_enrolment, device_for_code, verify_second_factor, wait_before_checking

security_log = logging.getLogger("mumaris.security")

PASSWORD_MISMATCH = _("The two passwords do not match. Type the same password twice.")
CAPTCHA_ERROR = _("The verification code is wrong or has expired. Type the digits in the new image.")


def verification_code_field():
    return VerificationCodeField(
        label=_("Verification code"),
        widget=VerificationCodeInput(attrs={"dir": "ltr", "autocomplete": "off", "inputmode": "numeric"}),
        help_text=_("Type the digits shown in the image."),
        error_messages={"invalid": CAPTCHA_ERROR, "required": _("Type the verification code.")},
    )


def email_field():
    return forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email", "inputmode": "email"}),
        error_messages={
            "required": _("Type your email address."),
            "invalid": _("Type a valid email address, like name@example.com."),
        },
    )


def password_rules():
    """The password validators' rules (settings.AUTH_PASSWORD_VALIDATORS) as one sentence a
    person reads, instead of Django's list of one rule per validator."""
    min_length = next(
        validator.min_length
        for validator in password_validation.get_default_password_validators()
        if isinstance(validator, password_validation.MinimumLengthValidator)
    )
    return _(
        "At least %(min_length)s characters, not only digits, not a common password, and nothing like"
        " your name, ID number or email."
    ) % {"min_length": min_length}


def word_new_password_fields(form, new_password, confirmation):
    """Django's two new-password fields in our words: each error names its field."""
    form.fields[new_password].help_text = password_rules()
    form.fields[confirmation].help_text = ""
    form.fields[new_password].error_messages["required"] = _("Choose a new password.")
    form.fields[confirmation].error_messages["required"] = _("Type the new password again.")
    form.error_messages = {**form.error_messages, "password_mismatch": PASSWORD_MISMATCH}


class CaptchaFirstMixin:
    """For a form whose captcha is judged before anything else.

    Behind a wrong or missing captcha no other field is checked, so the answer cannot depend on
    the data (whether an ID number is registered, say). What was typed stays in the form.
    """

    def _clean_fields(self):
        captcha = self["captcha"]
        try:
            self.cleaned_data["captcha"] = captcha.field._clean_bound_field(captcha)
        except forms.ValidationError as error:
            self.add_error("captcha", error)
            return
        for name, bound_field in self._bound_items():
            if name == "captcha":
                continue
            try:
                self.cleaned_data[name] = bound_field.field._clean_bound_field(bound_field)
                if hasattr(self, f"clean_{name}"):
                    self.cleaned_data[name] = getattr(self, f"clean_{name}")()
            except forms.ValidationError as error:
                self.add_error(name, error)

    def _clean_form(self):
        if not self.has_error("captcha"):
            super()._clean_form()

    def _post_clean(self):
        if not self.has_error("captcha"):
            super()._post_clean()


class LoginForm(AuthenticationForm):
    """Django's log-in form with the captcha, the per-account limit and our wording.

    The user name is the ID number or the email (any case, Arabic-Indic digits); the backend
    returns inactive accounts with the right password so `confirm_login_allowed` can tell an
    unverified person how to verify.
    """

    username = NormalizedDigitsField(
        label=_("Username"),
        max_length=254,
        help_text=_("Your ID number (national ID or iqama) or your email."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "username", "autofocus": True}),
        error_messages={"required": _("Type your ID number or email.")},
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Type your password.")},
    )
    remember = forms.BooleanField(
        label=_("Keep me logged in on this device"),
        required=False,
        help_text=_("Leave unticked on a shared computer: you are logged out when the browser closes."),
    )
    captcha = verification_code_field()

    error_messages = {
        "invalid_login": _("The username or password is wrong. Check them and try again."),
        "account_locked": _(
            "There have been too many failed log-in attempts on this account. For your security, try again "
            "in an hour, or reset your password now."
        ),
        "unverified": _("Your email address is not verified yet. Open the link we sent you, or ask for a new link."),
        "inactive": _("This account is disabled. Contact support."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # Django sizes the field for USERNAME_FIELD (the 10-digit ID); an email is longer.
        self.fields["username"].max_length = 254
        self.fields["username"].widget.attrs["maxlength"] = 254

    def clean_username(self):
        return normalize_login(self.cleaned_data["username"])

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if self.has_error("captcha"):
            # Never check the password behind a wrong captcha: a different answer would tell an
            # attacker the password was right. The attempt still counts towards the lockout.
            if username:
                user_login_failed.send(sender=__name__, credentials={"username": username}, request=self.request)
                security_log.info("login failed (captcha) username=%s", username)
            return self.cleaned_data
        if not username or password is None:
            return self.cleaned_data
        failures_key = account_failures_key(self.request, username)
        if account_failure_limit_reached(failures_key):
            security_log.warning("login refused (account limit) username=%s", username)
            raise forms.ValidationError(self.error_messages["account_locked"], code="account_locked")
        try:
            return super().clean()
        except forms.ValidationError as error:
            if error.code == "invalid_login":
                record_account_failure(self.request, failures_key)
                security_log.info("login failed username=%s", username)
            raise

    def confirm_login_allowed(self, user):
        if not user.is_active:
            code = "unverified" if user.is_awaiting_verification else "inactive"
            security_log.info("login refused (%s) user=%s", code, user.pk)
            raise forms.ValidationError(self.error_messages[code], code=code)


class SignupForm(CaptchaFirstMixin, BaseUserCreationForm):
    """Django's user-creation form with our fields and wording, the terms and the captcha first.

    It validates only; `signup.sign_up` creates the account (or tells an email's owner).
    """

    full_name_ar = forms.CharField(
        label=_("Name"),
        max_length=150,
        validators=[reject_bidi_controls],
        help_text=_("Your full name in Arabic, as on your ID."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Type your full name.")},
    )
    full_name_en = forms.CharField(
        label=_("Name in English"),
        max_length=150,
        required=False,
        validators=[reject_bidi_controls],
        widget=forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
    )
    national_id = NormalizedDigitsField(
        label=_("ID number"),
        max_length=20,
        help_text=_("10 digits: national ID starting with 1, or iqama number starting with 2."),
        error_messages={"required": _("Type your ID number.")},
    )
    email = email_field()
    accept_terms = forms.BooleanField(
        label=_("I agree to the terms of use"),
        error_messages={"required": _("You must agree to the terms of use to create an account.")},
    )
    captcha = verification_code_field()

    error_messages = {
        "national_id_taken": _("An account with this ID number already exists. Log in or reset your password."),
        "password_mismatch": PASSWORD_MISMATCH,
    }

    def add_national_id_taken_error(self):
        """The ID number was taken after validation (see signup.NationalIdTaken)."""
        code = "national_id_taken"
        self.add_error("national_id", forms.ValidationError(self.error_messages[code], code=code))

    def clean_national_id(self):
        national_id = self.cleaned_data["national_id"]
        validate_national_id(national_id)
        if get_user_model().objects.filter(national_id=national_id).exists():
            raise forms.ValidationError(self.error_messages["national_id_taken"], code="national_id_taken")
        return national_id

    def clean_email(self):
        # Whether the address is taken is never said here: see signup.sign_up.
        return self.cleaned_data["email"].strip().lower()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's two password fields, in our words.
        word_new_password_fields(self, "password1", "password2")
        self.fields["password2"].label = _("Confirm password")
        self.fields["password1"].error_messages["required"] = _("Choose a password.")
        self.fields["password2"].error_messages["required"] = _("Type the password again.")

    class Meta(BaseUserCreationForm.Meta):
        model = get_user_model()
        fields = ("full_name_ar", "full_name_en", "national_id", "email")
        field_classes = {}

    def _get_validation_exclusions(self):
        # Whether the ID number or email is taken is said by clean_national_id and sign_up only:
        # the model's unique checks would name a registered email to anyone. The form's own
        # fields have already validated both values.
        return super()._get_validation_exclusions() | {"national_id", "email"}

    def validate_password_for_user(self, user, password_field_name="password1"):  # noqa: S107  # nosec B107 (a field name)
        # The password's problems are shown on the field where it was chosen.
        super().validate_password_for_user(user, password_field_name)


class SetPasswordForm(DjangoSetPasswordForm):
    """Django's form (password reset), in our words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        word_new_password_fields(self, "new_password1", "new_password2")


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's form, in our words, with the current password checked as every form checks it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        word_new_password_fields(self, "new_password1", "new_password2")
        self.fields["old_password"].error_messages["required"] = _("Type your current password.")

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not check_current_password(self.user, old_password, purpose="password change"):
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


class ResendVerificationForm(forms.Form):
    email = email_field()
    captcha = verification_code_field()

    def account_awaiting_verification(self):
        """The unverified account for this email, or None. The page answers the same either way."""
        user = get_user_model().objects.with_email(self.cleaned_data["email"].strip()).first()
        if user is not None and user.is_awaiting_verification:
            return user
        return None


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's form; its email goes through the outbox and the queue like every other."""

    def send_mail(  # noqa: PLR0917  (Django's signature)
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        subject = " ".join(render_to_string(subject_template_name, context, using="text").split())
        text_body = render_to_string(email_template_name, context, using="text")
        html_body = render_to_string(html_email_template_name, context)
        queue_rendered_email(subject, text_body, html_body, to_email)


def second_factor_code_field():
    return forms.CharField(
        label=_("Verification code from the app"),
        max_length=20,
        help_text=_("The 6 digits your authenticator app shows now."),
        widget=forms.TextInput(
            attrs={"dir": "ltr", "autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": _("Type the code from your app.")},
    )


def wait_refusal(message, wait):
    """The error for a code the device's throttle would not check (a two_factor.Wait)."""
    return forms.ValidationError(
        message, code="wait", params={"wrong_codes": wait.wrong_codes, "seconds": wait.seconds}
    )


class SecondFactorForm(forms.Form):
    """The code step after the password: the app's code, or one recovery code, of `user` (whose
    log-in is pending: the request's user is still anonymous)."""

    code = second_factor_code_field()

    error_messages = {
        "wrong_code": _(
            "This code is wrong or has already been used. Type the code the app shows now, or a recovery code."
        ),
        # The device's throttle (django-otp) refused to look at the code: said as it is, with the
        # count of wrong codes and the seconds left, so a right code is not taken for a wrong one.
        "wait": ngettext_lazy(
            "This code was not checked: wrong codes typed in a row before it: %(wrong_codes)s. "
            "Wait %(seconds)s second, then type it again.",
            "This code was not checked: wrong codes typed in a row before it: %(wrong_codes)s. "
            "Wait %(seconds)s seconds, then type it again.",
            "seconds",
        ),
    }

    def __init__(self, request, user, *args, **kwargs):
        self.request = request
        self.user = user
        self.device = None
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _(
            "The 6 digits your authenticator app shows now, or one of your recovery codes."
        )

    def clean_code(self):
        user = self.user
        typed = self.cleaned_data["code"]
        device = device_for_code(user, typed)
        wait = wait_before_checking(device) if device is not None else None
        if wait is not None:
            failure = wait_refusal(self.error_messages["wait"], wait)
        elif device is None or not verify_second_factor(device, typed):
            failure = forms.ValidationError(self.error_messages["wrong_code"], code="wrong_code")
        else:
            self.device = device
            return typed
        # Counted with the password failures: five wrong codes (or tries while django-otp
        # makes one wait) lock out like five wrong passwords.
        user_login_failed.send(sender=__name__, credentials={"username": user.national_id}, request=self.request)
        security_log.info("second factor failed (%s) user=%s", failure.code, user.pk)
        raise failure


class EnrolmentForm(forms.Form):
    """Turning التحقق بخطوتين on: one code from the app just set up."""

    code = second_factor_code_field()

    error_messages = {
        "wrong_code": _("This code does not match. Check that the app shows Mumaris, then type the code it shows now."),
        "wait": SecondFactorForm.error_messages["wait"],
    }

    def __init__(self, device, *args, **kwargs):
        self.device = device
        self.recovery_codes = None
        super().__init__(*args, **kwargs)

    def clean_code(self):
        wait = wait_before_checking(self.device)
        if wait is not None:
            raise wait_refusal(self.error_messages["wait"], wait)
        self.recovery_codes = confirm_enrolment(self.device, self.cleaned_data["code"])
        if self.recovery_codes is None:
            raise forms.ValidationError(self.error_messages["wrong_code"], code="wrong_code")
        return self.cleaned_data["code"]


class PasswordCheckForm(forms.Form):
    """The current password again, before a sensitive change (`purpose`, for the security log)."""

    password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Type your password.")},
    )

    error_messages = {"wrong_password": _("The password is wrong.")}

    def __init__(self, user, *args, purpose="two-step settings", **kwargs):
        self.user = user
        self.purpose = purpose
        super().__init__(*args, **kwargs)

    def clean_password(self):
        if not check_current_password(self.user, self.cleaned_data["password"], purpose=self.purpose):
            raise forms.ValidationError(self.error_messages["wrong_password"], code="wrong_password")
        return self.cleaned_data["password"]
