"""`civicplan mail_intake`: the news address's mail server, or (--retry-failed) one more try for
the letters that failed to process."""

from __future__ import annotations

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from civicplan.mailintake.actions import retry_failed
from civicplan.mailintake.models import InboundMessage
from civicplan.mailintake.server import IntakeServer


class Command(BaseCommand):
    help = _(
        "Принимает почту для адресов новостей (SMTP или LMTP): сохраняет каждое письмо и делает "
        "из него материал."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help=_("адрес, на котором слушать"))
        parser.add_argument("--port", type=int, default=2525, help=_("порт (0 — любой свободный)"))
        parser.add_argument("--lmtp", action="store_true", help=_("говорить LMTP вместо SMTP"))
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help=_("разобрать ещё раз письма с ошибкой разбора и выйти"),
        )

    def handle(self, *args: object, **options: object) -> None:
        if options["retry_failed"]:
            self._retry()
            return
        server = IntakeServer(
            str(options["host"]), int(options["port"]), lmtp=bool(options["lmtp"])
        )
        stopping = threading.Event()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signal_number, lambda *_args: stopping.set())
        server.start()
        self.stdout.write(
            _("Приём почты (%(protocol)s) на %(host)s:%(port)s для: %(addresses)s")
            % {
                "protocol": "LMTP" if options["lmtp"] else "SMTP",
                "host": server.host,
                "port": server.port,
                "addresses": ", ".join(settings.CIVICPLAN_NEWS_ADDRESSES),
            }
        )
        self.stdout.flush()
        stopping.wait()
        server.stop()
        self.stdout.write(_("Приём почты остановлен."))

    def _retry(self) -> None:
        messages = retry_failed()
        done = sum(1 for message in messages if message.status != InboundMessage.Status.FAILED)
        self.stdout.write(
            _("Разобрано ещё раз: %(total)d, удачно: %(done)d, снова с ошибкой: %(failed)d.")
            % {"total": len(messages), "done": done, "failed": len(messages) - done}
        )
