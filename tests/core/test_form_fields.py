"""The shared field template's helpers: optional marks and hints that read right in Arabic."""

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation

from core.templatetags.form_fields import isolate_latin


class ExampleForm(forms.Form):
    name = forms.CharField(label="Name")
    nickname = forms.CharField(label="Nickname", required=False, help_text="For example <Abu Ali> or +9665XXXXXXXX.")


@pytest.mark.parametrize(
    ("hint", "isolated"),
    [
        ("جوال: +9665XXXXXXXX.", 'جوال: <bdi dir="ltr">+9665XXXXXXXX</bdi>.'),
        ("مثل 26-0000-0001.", 'مثل <bdi dir="ltr">26-0000-0001</bdi>.'),
        ("بصيغة PDF، 5 ميجابايت", 'بصيغة <bdi dir="ltr">PDF</bdi>، <bdi dir="ltr">5</bdi> ميجابايت'),
        ("مثل name@example.com", 'مثل <bdi dir="ltr">name@example.com</bdi>'),
        ("<b>", '&lt;<bdi dir="ltr">b</bdi>&gt;'),
    ],
)
def test_latin_runs_in_a_hint_are_isolated_in_arabic(hint, isolated):
    with translation.override("ar"):
        assert isolate_latin(hint) == isolated


def test_hints_are_left_as_they_are_in_english():
    with translation.override("en"):
        assert isolate_latin("Like +9665XXXXXXXX.") == "Like +9665XXXXXXXX."


def test_optional_mark_sits_inline_in_the_label_and_the_hint_is_escaped():
    form = ExampleForm()
    with translation.override("ar"):
        required = render_to_string("includes/field.html", {"field": form["name"]})
        optional = render_to_string("includes/field.html", {"field": form["nickname"]})
    assert "optional" not in required
    assert '<label for="id_nickname">Nickname <span class="optional">(اختياري)</span></label>' in optional
    assert '&lt;<bdi dir="ltr">Abu</bdi> <bdi dir="ltr">Ali</bdi>&gt;' in optional


def test_a_field_with_an_error_names_it_and_marks_its_input_in_every_kind_of_field():
    class Choices(forms.Form):
        name = forms.CharField(label="Name", help_text="As on your ID.")
        agree = forms.BooleanField(label="I agree")
        kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)

    form = Choices(data={})
    with translation.override("en"):
        text, checkbox, radio = (render_to_string("includes/field.html", {"field": form[name]}) for name in form.fields)
    assert '<div class="form-group has-error">' in text
    assert '<div class="hint" id="id_name_hint">As on your ID.</div>' in text
    assert '<span class="field-error" id="id_name_error">This field is required.</span>' in text
    assert 'aria-describedby="id_name_hint id_name_error" aria-invalid="true"' in text
    assert '<span class="field-error" id="id_agree_error">' in checkbox
    assert '<label for="id_agree">I agree</label>' in checkbox
    assert '<fieldset class="form-group has-error" aria-describedby=" id_kind_error">' in radio
    assert '<legend id="id_kind_legend">Kind</legend>' in radio
