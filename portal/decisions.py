"""What every reviewer decision shares: a refusal needs a reason the person can read."""


class ReasonRequired(Exception):
    """Returning or rejecting needs a reason the applicant or practitioner will read."""


def required_reason(reason):
    """The reason, trimmed; raises ReasonRequired when there is none."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired
    return reason
