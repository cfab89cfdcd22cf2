"""The review queue: every request waiting for a decision has at most one owner.

Each app declares a `ReviewQueue` per kind of request it reviews (which rows wait, whose file a
row is, the order in which they are taken, the permissions) and registers it here. The rules
are plain functions taking a queue, rows or ids and plain values (the reviewer, today), never a
request: take the next, hand back, reassign, and the check every decision makes. Each change
is one transaction with the rows locked, and is logged (mumaris.security).

Two reviewers pressing "Take the next request" at once each get a different request: the
candidate row is read `FOR UPDATE SKIP LOCKED` (PostgreSQL), so the second skips the row the
first is taking. One reviewer's own presses are serialised on their user row, so the cap
(REVIEW_MAX_OPEN) holds however fast they press.
"""

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .decisions import DecisionError, is_own_file
from .service_levels import standing, start_of
from .working_days import working_days_between

security_log = logging.getLogger("mumaris.security")


class QueueFull(DecisionError):
    message = _(
        "You already hold the most requests allowed at once. Decide or hand back one of them, then take the next."
    )


class NotHeldByYou(DecisionError):
    message = _("This request is not assigned to you; nothing was done.")


class NoLongerWaiting(DecisionError):
    message = _("This request is no longer waiting for a decision; nothing was done.")


class HeldByAnother(DecisionError):
    """A reviewer deciding a request another reviewer holds (a supervisor may)."""

    message = _(
        "Another reviewer holds this request, so only they or a supervisor can decide on it. "
        "Ask a supervisor to reassign it to you."
    )


class CannotTakeOwnFile(DecisionError):
    message = _("That reviewer made this request and cannot decide on it; choose another reviewer.")


class MayNotDecide(DecisionError):
    message = _("That person may not decide on this kind of request; choose a reviewer.")


@dataclass(frozen=True)
class QueueClock:
    """What a queue's list shows of a waiting request against its service level."""

    waited_days: int
    # Working days left to the due day (0 on it and after); None while the clock is paused.
    left_days: int | None
    overdue: bool


def queue_clock(request_standing, today, holidays):
    """The list's figures from a request's standing (core.service_levels.standing); None for one
    not waiting."""
    if request_standing is None:
        return None
    if request_standing.paused:
        return QueueClock(request_standing.waited_days, None, overdue=False)
    left = working_days_between(today, request_standing.due, holidays)
    return QueueClock(request_standing.waited_days, left, request_standing.overdue)


def standing_from(created_at, days, today, holidays):
    """The standing of a request whose clock runs from its creation and never pauses."""
    created_on = timezone.localdate(created_at)
    return standing(((created_on, None),), days, today, holidays)


def created_before_overdue(days, today, holidays):
    """The condition on `created_at` of the requests (clock from creation, never paused) that
    are overdue today."""
    return Q(created_at__lt=start_of(overdue_before(today, days, holidays)))


@dataclass(frozen=True)
class ReviewQueue:
    """One kind of request that reviewers decide, as the queue sees it."""

    # "app_label.model_name": the queue's name in the log and the registry.
    name: str
    model: Any
    # The rows waiting for staff's decision.
    waiting: Q
    # The lookup from a row to the user whose file it is ("applicant_id", "profile__user_id").
    owner_path: str
    decision_permission: str
    # Who may reassign, see every queue and decide a request another reviewer holds.
    supervise_permission: str
    # (queryset, today) → the querysets to take from, in turn, each in the order it is taken.
    # Several when one ordering over every waiting row would sort them all on each press (at a
    # million applications, seconds): each is then a short walk along an index.
    order: Any
    # (rows, today, holidays) → {pk: Standing} of those of the rows waiting, in at most one query.
    standings: Any
    # (today, holidays) → the condition (a Q) of the waiting rows that are overdue today.
    overdue: Any
    # (row) → how the row is named in the log ("REG-2026-000001").
    label: Any = str

    def waiting_requests(self):
        return self.model.objects.filter(self.waiting)


_queues = {}


def register_queue(queue):
    _queues[queue.name] = queue
    return queue


def registered_queues():
    return list(_queues.values())


def held_count(reviewer):
    """How many requests, of every kind, wait assigned to `reviewer` (one query: the kinds'
    rows counted together)."""
    first, *others = [
        queue.waiting_requests().filter(assigned_to=reviewer).order_by().values_list("assigned_to")
        for queue in registered_queues()
    ]
    return first.union(*others, all=True).count()


def may_take_any(user):
    """Whether `user` reviews some kind of request (and so may hold requests)."""
    return any(user.has_perm(queue.decision_permission) for queue in registered_queues())


def _lock_reviewer(reviewer):
    """Serialise one reviewer's assignments, so two at once cannot both pass the cap."""
    get_user_model().objects.select_for_update().filter(pk=reviewer.pk).values_list("pk", flat=True).first()


def _refuse_when_full(reviewer):
    if held_count(reviewer) >= settings.REVIEW_MAX_OPEN:
        raise QueueFull


def _assign(locked, reviewer):
    locked.assigned_to = reviewer
    locked.assigned_at = timezone.now() if reviewer is not None else None
    locked.save(update_fields=["assigned_to", "assigned_at"])


def take_next(queue, reviewer, today):
    """Assign to `reviewer` the first unassigned waiting request of `queue` in its order that is
    not their own file, and return it (None when there is none). Raises QueueFull at the cap."""
    with transaction.atomic():
        _lock_reviewer(reviewer)
        _refuse_when_full(reviewer)
        candidates = (
            queue.waiting_requests().filter(assigned_to__isnull=True).exclude(**{queue.owner_path: reviewer.pk})
        )
        # of=self: the order may join other tables (a renewal's registration); only the request
        # row is locked, and rows another transaction is taking are skipped, not waited for.
        for ordered in queue.order(candidates, today):
            taken = ordered.select_for_update(skip_locked=True, of=("self",)).first()
            if taken is not None:
                break
        else:
            return None
        _assign(taken, reviewer)
    security_log.info("queue %s %s taken by user=%s", queue.name, queue.label(taken), reviewer.pk)
    return taken


def _lock_waiting(queue, pk):
    locked = queue.waiting_requests().select_for_update().filter(pk=pk).first()
    if locked is None:
        raise NoLongerWaiting
    return locked


def hand_back(queue, pk, reviewer):
    """`reviewer` gives back a request they hold: it is unassigned, in its place in the queue."""
    with transaction.atomic():
        locked = _lock_waiting(queue, pk)
        if locked.assigned_to_id != reviewer.pk:
            raise NotHeldByYou
        _assign(locked, None)
    security_log.info("queue %s %s handed back by user=%s", queue.name, queue.label(locked), reviewer.pk)
    return locked


def may_decide(queue, user):
    return user.is_active and user.is_staff and user.has_perm(queue.decision_permission)


def reassign(queue, pk, to_reviewer, by):
    """A supervisor (`by`) gives a waiting request to `to_reviewer`, or back to the queue (None).

    Refused when the reviewer may not decide this kind, made the request, or holds the most
    allowed. The caller checks that `by` may supervise (the admin's action permission).
    """
    with transaction.atomic():
        if to_reviewer is not None:
            if not may_decide(queue, to_reviewer):
                raise MayNotDecide
            _lock_reviewer(to_reviewer)
        locked = _lock_waiting(queue, pk)
        if to_reviewer is not None:
            owner_id = queue.model.objects.filter(pk=pk).values_list(queue.owner_path, flat=True).get()
            if is_own_file(to_reviewer, owner_id):
                raise CannotTakeOwnFile
            if locked.assigned_to_id == to_reviewer.pk:
                return locked
            _refuse_when_full(to_reviewer)
        from_id = locked.assigned_to_id
        _assign(locked, to_reviewer)
    security_log.info(
        "queue %s %s reassigned from user=%s to user=%s by user=%s",
        queue.name,
        queue.label(locked),
        from_id,
        getattr(to_reviewer, "pk", None),
        by.pk,
    )
    return locked


def refuse_held_by_another(locked, reviewer, supervise_permission):
    """Called inside every decision function on the locked row: a reviewer may not decide a
    request another reviewer holds; a supervisor may (and the decision releases it)."""
    holder_id = locked.assigned_to_id
    if reviewer is None or holder_id is None or holder_id == reviewer.pk:
        return
    if reviewer.has_perm(supervise_permission):
        security_log.info("decision on a request held by user=%s made by supervisor user=%s", holder_id, reviewer.pk)
        return
    security_log.warning("decision refused: held by user=%s, tried by user=%s", holder_id, reviewer.pk)
    raise HeldByAnother


def release(locked):
    """On the locked row of a request leaving the queue (decided, returned): nobody holds it
    any longer. Returns the fields to save. Who decided is recorded by the decision itself."""
    locked.assigned_to = None
    locked.assigned_at = None
    return ["assigned_to", "assigned_at"]


def reviewers_for(queue):
    """Active staff who may decide `queue`'s requests: the people a supervisor may assign to."""
    app_label, codename = queue.decision_permission.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(is_superuser=True) | Q(groups__permissions__in=permission) | Q(user_permissions__in=permission))
        .distinct()
        .order_by("full_name_ar", "pk")
    )


def overdue_before(today, days, holidays):
    """The first day on which a request that started its clock then (and never paused) is not
    yet overdue today: those started earlier are overdue. For filtering in the database."""
    day = today
    while not standing(((day - datetime.timedelta(days=1), None),), days, today, holidays).overdue:
        day -= datetime.timedelta(days=1)
    return day
