"""Every review declares its decisions the same way: one signature, one table of transitions."""

import inspect

import pytest

from applications import cpd as hours
from applications import workflow as applications
from profiles import workflow as update_requests
from registry import workflow as registrations

REVIEWS = [applications, update_requests, registrations, hours]


@pytest.mark.parametrize("review", REVIEWS, ids=lambda review: review.__name__)
def test_every_decision_takes_the_file_the_reviewer_and_a_reason(review):
    for key, decision in review.DECISIONS.items():
        parameters = list(inspect.signature(decision.function).parameters.values())
        assert [parameter.name for parameter in parameters[1:]] == ["reviewer", "reason"], key
        assert parameters[2].default == "", key


@pytest.mark.parametrize("review", REVIEWS, ids=lambda review: review.__name__)
def test_every_decision_leads_to_a_status_its_transitions_allow(review):
    reachable = set().union(*review.ALLOWED_TRANSITIONS.values())
    for key, decision in review.DECISIONS.items():
        assert decision.to_status in reachable, key
