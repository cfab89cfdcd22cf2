"""The form an organisation's administrator makes an API token with."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.forms import reject_bidi_controls, reject_invisible_only

from .tokens import LIFETIME_DAYS


def lifetime_choices():
    """Evaluated when the form is shown, in the page's language."""
    return [(days, ngettext("%(days)s day", "%(days)s days", days) % {"days": days}) for days in LIFETIME_DAYS]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        validators=[reject_bidi_controls, reject_invisible_only],
        help_text=_("What uses it, for example “HR system”, so you know which token to revoke."),
    )
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        choices=lifetime_choices,
        initial=90,
        help_text=_("After that it stops working; make a new one before then."),
    )
