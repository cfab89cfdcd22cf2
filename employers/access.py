"""Who may do what in an organisation: a pure rule, read by the views' decorator.

Members read and download the list; administrators also change it and its members, and only
from a session that passed a second factor (the staff machinery of accounts/two_factor.py:
someone with a confirmed device always logs in with a code). Nothing is open before approval.
"""

from .models import OrganisationStatus


class Refusal:
    PENDING = "pending"
    NOT_ADMINISTRATOR = "not_administrator"
    SECOND_FACTOR = "second_factor"


def refusal(membership, *, manages, second_factor_verified):
    """Why the member may not do it (a Refusal), or None when they may."""
    if membership.organisation.status != OrganisationStatus.APPROVED:
        return Refusal.PENDING
    if manages and not membership.is_administrator:
        return Refusal.NOT_ADMINISTRATOR
    if manages and not second_factor_verified:
        return Refusal.SECOND_FACTOR
    return None
