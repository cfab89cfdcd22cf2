from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """People and their log-ins: sign up, verify email, log in, lockout, passwords."""

    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import signals, tasks  # noqa: F401  (the security log receivers; the periodic jobs)
