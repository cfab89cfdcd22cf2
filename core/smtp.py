"""Django's SMTP backend with one deadline on the whole conversation with the mail server.

Django gives each socket operation EMAIL_TIMEOUT seconds; a server that sends one byte a
second never trips that, and a send is a dozen operations (greeting, EHLO, STARTTLS, AUTH,
MAIL, RCPT, DATA…). Here a timer shuts the socket down EMAIL_TIMEOUT seconds after the
connection was begun, which ends whatever wait is under way at once. The outbox counts on this
bound: a claim older than it (and a margin) belongs to a worker that died (portal/emails.py).
"""

import contextlib
import smtplib
import socket
import threading

from django.core.mail.backends import smtp


class DeadlineMixin:
    """An `smtplib` connection whose socket is shut down once `timeout` seconds have passed."""

    def __init__(self, *args, timeout, **kwargs):
        self.sock = None  # smtplib sets it in connect(); the timer may look before that
        self.deadline_passed = False
        self.deadline = threading.Timer(timeout, self.cut_off)
        self.deadline.daemon = True
        self.deadline.start()
        try:
            super().__init__(*args, timeout=timeout, **kwargs)
        except BaseException:
            self.deadline.cancel()
            raise

    def cut_off(self):
        self.deadline_passed = True
        if self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_RDWR)

    def _get_socket(self, host, port, timeout):
        sock = super()._get_socket(host, port, timeout)
        if self.deadline_passed:  # the deadline passed while connecting
            sock.close()
            raise TimeoutError("the mail server took longer than EMAIL_TIMEOUT")
        return sock

    def close(self):
        self.deadline.cancel()
        super().close()


class DeadlineSMTP(DeadlineMixin, smtplib.SMTP):
    pass


class DeadlineSMTPSSL(DeadlineMixin, smtplib.SMTP_SSL):
    pass


class EmailBackend(smtp.EmailBackend):
    """What an `smtp://` EMAIL_URL selects (mumaris/settings.py); the timeout is always set."""

    @property
    def connection_class(self):
        return DeadlineSMTPSSL if self.use_ssl else DeadlineSMTP
