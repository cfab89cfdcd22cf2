"""Authentication by national ID / iqama number or by email."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import FilteredRelation, Q

# The confirmed app device, read in the user's query (accounts.middleware.OTPMiddleware uses it).
JOINED_APP_DEVICE = "confirmed_app_device"


class NationalIdOrEmailBackend(ModelBackend):
    """Log in with the ID number or the email (any case) and the password.

    Inactive users with the right password are returned so the log-in form can tell an
    unverified person how to verify (as Django's AllowAllUsersModelBackend does); sessions
    of inactive users are still refused by `get_user`.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user_model = get_user_model()
        user = user_model.objects.find_by_login(username)
        if user is None:
            # Spend the same time as a real check so timing does not reveal who exists.
            user_model().set_password(password)
            return None
        if user.check_password(password):
            return user
        return None

    def get_user(self, user_id):
        # Every signed-in page reads the practitioner's profile (menus, طلباتي, the data review):
        # one query with the user instead of a second one, with the specialty their cards name.
        # A session verified by an app device (all staff's) reads that device too: it comes in
        # the same query, read afresh like the user. (WSGI only: `aget_user` is Django's.)
        user = (
            get_user_model()
            ._default_manager.annotate(
                **{JOINED_APP_DEVICE: FilteredRelation("totpdevice", condition=Q(totpdevice__confirmed=True))}
            )
            .select_related("practitioner_profile__specialty", JOINED_APP_DEVICE)
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
