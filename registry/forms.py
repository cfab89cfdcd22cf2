"""The verification search and the share-code form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import IntegerField, reject_bidi_controls

from .sharing import DEFAULT_DAYS, MAX_DAYS, MIN_DAYS


class VerifySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Membership number or certificate code"),
        max_length=40,
        help_text=_("As printed on the certificate, for example 26-0000-0001 or ABCD-EFGH-JKMN-PQRS."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "spellcheck": "false"}),
    )


class ShareCodeForm(forms.Form):
    label = forms.CharField(
        label=_("Who is it for?"),
        max_length=100,
        required=False,
        validators=[reject_bidi_controls],
        help_text=_("A name only you see, for example “King Fahd Hospital HR”."),
    )
    days = IntegerField(
        label=_("Valid for (days)"),
        min_value=MIN_DAYS,
        max_value=MAX_DAYS,
        initial=DEFAULT_DAYS,
        help_text=_("From 1 to 90 days."),
        widget=forms.NumberInput(attrs={"dir": "ltr"}),
    )
    shares_work_history = forms.BooleanField(label=_("Also show my employer and specialty history"), required=False)
    shares_timeline = forms.BooleanField(label=_("Also show my registration timeline"), required=False)
