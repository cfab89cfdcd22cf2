"""Password rules of our own, beside Django's validators."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class PasswordWithoutIdentityValidator:
    """Refuse a password that contains the user's ID number or the local part of their email."""

    def validate(self, password, user=None):
        if user is None:
            return
        lowered = password.lower()
        national_id = getattr(user, "national_id", "") or ""
        if national_id and national_id in lowered:
            raise ValidationError(_("The password must not contain your ID number."), code="password_contains_id")
        local_part = (getattr(user, "email", "") or "").split("@")[0].lower()
        if len(local_part) >= 3 and local_part in lowered:
            raise ValidationError(
                _("The password must not contain the first part of your email address."),
                code="password_contains_email",
            )

    def get_help_text(self):
        return _("Your password must not contain your ID number or your email address.")
