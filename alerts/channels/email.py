"""Email digests over SMTP (``smtplib``; Scrapy's MailSender is deprecated since 2.15).

The SMTP dialogue is split so that everything that can fail harmlessly (connect, TLS, login,
MAIL FROM, RCPT TO) happens *before* the outbox marks the digest "in flight"; only the DATA
transfer sits inside the ambiguous window (see ``alerts/outbox.py``).
"""

from __future__ import annotations

import datetime as dt
import email.policy
import hashlib
import logging
import smtplib
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, parseaddr

from alerts.channels import (
    AmbiguousError,
    ConfigError,
    Job,
    PermanentError,
    Progress,
    TransientError,
)
from alerts.markdown import one_line
from alerts.options import AlertOptions
from alerts.redact import scrub
from portalspider.siteconfig import UnitConfig

logger = logging.getLogger(__name__)


def message_id(idempotency_key: str, mail_from: str) -> str:
    """A Message-ID that is the same on every retry of one digest (and only of it)."""
    digest = hashlib.sha256(idempotency_key.encode("utf-8")).hexdigest()[:32]
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "portalspider.invalid"
    return f"<{digest}.alert@{domain}>"


def build_message(job: Job, unit: UnitConfig, options: AlertOptions) -> EmailMessage:
    """multipart/alternative (text + HTML) with RFC 2047-encoded Chinese headers.

    ``EmailMessage`` with the default policy encodes non-ASCII headers and refuses CR/LF
    in header values; ``one_line`` has already collapsed them, so a crafted column name
    can neither break the message nor inject a header.
    """
    msg = EmailMessage()
    msg["Subject"] = one_line(job.subject, 300)
    msg["From"] = options.mail_from
    msg["To"] = [Address(addr_spec=a) for a in unit.email]
    msg["Message-ID"] = message_id(job.idempotency_key, options.mail_from)
    created = job.payload.get("date")
    msg["Date"] = format_datetime(
        dt.datetime.fromisoformat(created) if created else dt.datetime.now(dt.UTC)
    )
    # base64 keeps the message 7-bit clean, so servers without 8BITMIME accept it too.
    msg.set_content(job.payload["text"], charset="utf-8", cte="base64")
    msg.add_alternative(job.payload["html"], subtype="html", charset="utf-8", cte="base64")
    return msg


class EmailChannel:
    name = "email"

    def __init__(self, options: AlertOptions) -> None:
        self.options = options

    def available(self, unit: UnitConfig) -> bool:
        return bool(unit.email)

    def _secrets(self) -> tuple[str | None, ...]:
        return (self.options.smtp_password,)

    def _connect(self) -> smtplib.SMTP:
        o = self.options
        ctx = ssl.create_default_context()
        if o.smtp_ssl:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                o.smtp_host, o.smtp_port, timeout=o.smtp_timeout, context=ctx
            )
        else:
            smtp = smtplib.SMTP(o.smtp_host, o.smtp_port, timeout=o.smtp_timeout)
        try:
            smtp.ehlo()
            if o.smtp_starttls and not o.smtp_ssl:
                smtp.starttls(context=ctx)
                smtp.ehlo()
            if o.smtp_user:
                smtp.login(o.smtp_user, o.smtp_password or "")
        except BaseException:
            smtp.close()  # a refused login must not leak the connection
            raise
        return smtp

    def send(self, job: Job, unit: UnitConfig, progress: Progress) -> None:
        if not unit.email:
            raise PermanentError(f"unit {unit.name} has no email address any more")
        msg = build_message(job, unit, self.options)
        sender = parseaddr(self.options.mail_from)[1] or self.options.mail_from
        recipients = [addr for _, addr in getaddresses(unit.email)]
        try:
            smtp = self._connect()
        except smtplib.SMTPAuthenticationError as exc:
            raise ConfigError(
                f"SMTP server {self.options.smtp_host}:{self.options.smtp_port} refused the "
                f"login of ALERTS_SMTP_USER={self.options.smtp_user!r} ({exc.smtp_code}); "
                "check ALERTS_SMTP_USER and ALERTS_SMTP_PASSWORD"
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise ConfigError(
                f"SMTP server {self.options.smtp_host}:{self.options.smtp_port} offers no "
                "login (AUTH) although ALERTS_SMTP_USER is set; check ALERTS_SMTP_STARTTLS/"
                "ALERTS_SMTP_SSL or unset ALERTS_SMTP_USER"
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise TransientError(
                f"SMTP server {self.options.smtp_host}:{self.options.smtp_port} "
                f"unavailable: {scrub(exc, self._secrets())}",
                channel_down=True,
            ) from None
        try:
            self._transfer(smtp, msg, sender, recipients, progress)
        finally:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()

    def _transfer(
        self,
        smtp: smtplib.SMTP,
        msg: EmailMessage,
        sender: str,
        recipients: list[str],
        progress: Progress,
    ) -> None:
        in_flight = False
        try:
            code, resp = smtp.mail(sender)
            if code != 250:
                raise _smtp_error("MAIL FROM", code, resp)
            accepted = []
            for rcpt in recipients:
                code, resp = smtp.rcpt(rcpt)
                if code in (250, 251):
                    accepted.append(rcpt)
                else:
                    logger.warning(
                        "alerts: SMTP refused recipient %s: %s %s",
                        rcpt,
                        code,
                        resp.decode("utf-8", "replace"),
                    )
            if not accepted:
                raise PermanentError("SMTP refused every recipient")
            progress.before_part(0)
            in_flight = True
            # CRLF line ends: smtplib.data() does not convert them for bytes.
            code, resp = smtp.data(msg.as_bytes(policy=email.policy.SMTP))
            if code != 250:
                raise _smtp_error("DATA", code, resp)
        except smtplib.SMTPResponseException as exc:
            raise _smtp_error("transaction", exc.smtp_code, exc.smtp_error) from None
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            reason = f"SMTP connection lost: {scrub(exc, self._secrets())}"
            # Lost during DATA, the server may have queued the message: do not resend blindly.
            raise (AmbiguousError if in_flight else TransientError)(reason) from None
        progress.after_part(0)


def _smtp_error(stage: str, code: int, resp: bytes | str) -> Exception:
    reply = resp.decode("utf-8", "replace") if isinstance(resp, bytes) else resp
    text = f"SMTP {stage} rejected: {code} {reply}"
    return PermanentError(text) if 500 <= code < 600 else TransientError(text)
