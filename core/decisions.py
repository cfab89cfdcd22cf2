"""What every reviewer decision shares: a decision table, reasons, and nobody deciding their own file.

Each review (applications, data-update requests, and later renewals and suspensions) declares
its decisions once, in its workflow module, as a `Decision` per action. The admin's buttons,
its generic `decide` and the allowed transitions are all read from that one table.
"""

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

security_log = logging.getLogger("mumaris.security")


class DecisionError(Exception):
    """A decision that was not made; `message` says why, for the reviewer."""

    message = _("This decision could not be made; nothing was done.")


class ReasonRequired(DecisionError):
    """Returning or rejecting needs a reason the applicant or practitioner will read."""

    message = _("Write the reason the applicant will read, then try again.")


class OwnFileRefused(DecisionError):
    """Segregation of duties: nobody decides on an application or request they made themselves."""

    message = _(
        "You made this application or request yourself, so you cannot decide on it. Another reviewer must decide."
    )


class DecisionTone(StrEnum):
    """How a decision's button looks: the one that grants (primary), the ones that take away or
    close for good (destructive, in red and set apart), and the rest."""

    PRIMARY = "primary"
    NEUTRAL = "neutral"
    DESTRUCTIVE = "destructive"


@dataclass(frozen=True)
class Decision:
    """One reviewer decision: its button label, the status it leads to, and the function that makes it.

    Every decision function of every review takes `(obj, reviewer, reason="")`; `needs_reason`
    says whether the admin asks for one (and the function refuses an empty one). `consequence`
    says what the decision will do (a text, or a function of the object for one with its dates);
    the admin shows it on a page the reviewer confirms first. A decision without one (starting a
    review) is made at once.
    """

    label: Any
    to_status: str
    function: Any
    needs_reason: bool = False
    tone: DecisionTone = DecisionTone.NEUTRAL
    consequence: Any = None

    @property
    def needs_confirmation(self):
        return self.consequence is not None

    def consequence_for(self, obj):
        return self.consequence(obj) if callable(self.consequence) else self.consequence

    def apply(self, obj, reviewer, reason=""):
        return self.function(obj, reviewer, reason)


def available_decisions(decisions, allowed_transitions, status):
    """The keys of the decisions that the allowed transitions permit from `status`, in table order."""
    allowed = allowed_transitions.get(status, set())
    return [key for key, decision in decisions.items() if decision.to_status in allowed]


def check_transition(allowed_transitions, from_status, to_status, refusal):
    """Raise `refusal` (a DecisionError) unless the review's table allows `from_status` → `to_status`."""
    if to_status not in allowed_transitions.get(from_status, set()):
        raise refusal


def required_reason(reason):
    """The reason, trimmed; raises ReasonRequired when there is none."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired
    return reason


def record_decision(locked, reviewer, status, reason="", also=()):
    """Write a decision on a locked row with `status`, `reason`, `decided_by` and `decided_at`
    (and the fields named in `also`, changed by the caller: the released assignment)."""
    locked.status = status
    locked.reason = reason
    locked.decided_by = reviewer
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "reason", "decided_by", "decided_at", *also])


def is_own_file(reviewer, owner_id):
    return reviewer is not None and reviewer.pk == owner_id


def refuse_own_file(reviewer, owner_id, file_label):
    """Raise OwnFileRefused (and log a security event) when `reviewer` is the file's owner.

    Called inside every decision function, so no admin page, command or future view can skip it.
    Superusers are no exception.
    """
    if is_own_file(reviewer, owner_id):
        security_log.warning("decision refused: own file %s user=%s", file_label, reviewer.pk)
        raise OwnFileRefused
