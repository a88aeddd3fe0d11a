"""The intake server: aiosmtpd speaking SMTP (or LMTP) on one event loop, and two kinds of
worker threads beside it, because the Django ORM is synchronous and the loop must not wait on
the disk or the database:

- store threads (8): write the .eml (temp file, fsync, rename) and insert its row, one letter
  each; the loop awaits them (`run_in_executor`) and only then answers 250, or 451 if storing
  failed, so the sender keeps a letter we could not keep and tries again;
- one processing thread: parses each stored letter and makes its submission, after the 250,
  in the order they came. One thread because the work is Python (the GIL gains nothing from
  more) and because on SQLite it keeps to one writer the long transactions (the submission, its
  attachments, history and acknowledgement task); the store threads' short inserts wait for it
  at most a moment (WAL, BEGIN IMMEDIATE, busy timeout).

A letter whose processing never ran (the server stopped first) stays "stored" and is processed
when the server starts again; one whose processing failed is "failed", for a retry.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import close_old_connections, connections

from civicplan.mailintake.actions import process, receive
from civicplan.mailintake.models import InboundMessage

logger = logging.getLogger(__name__)

STORE_THREADS = 8
# Replies. SMTP replies are ASCII for the sender's mail server (and its bounce to a person),
# so they are in English, as mail servers write them.
ACCEPTED = "250 2.0.0 Ok: queued as {id}"
NOT_STORED = "451 4.3.0 Could not store the message now; please try again later"
UNKNOWN_RECIPIENT = (
    "550 5.1.1 <{address}>: Recipient address rejected: this server accepts mail only for the "
    "news address"
)
TOO_BIG = "552 5.3.4 Message size exceeds fixed maximum message size of {limit} bytes"


class _Replies:
    """aiosmtpd's own 552 replies carry no enhanced status code; ours say 5.3.4 and the limit.
    Lines up to 1 MiB are taken (RFC 5321 asks senders for 1,000, not all comply), so a long
    line does not bounce a member's letter."""

    line_length_limit = 1 << 20
    data_size_limit: int | None

    async def push(self, status: str | bytes) -> None:
        if isinstance(status, str) and status.startswith("552 Error:"):
            status = TOO_BIG.format(limit=self.data_size_limit)
        await super().push(status)  # type: ignore[misc]


class IntakeSMTP(_Replies, SMTP):
    pass


class IntakeLMTP(_Replies, LMTP):
    pass


class IntakeHandler:
    """aiosmtpd hooks: who may be written to (RCPT) and what is done with a letter (DATA)."""

    def __init__(
        self,
        addresses: Iterable[str],
        *,
        store: Callable[[bytes, str, str, list[str]], int],
        stored: Callable[[int], None],
        executor: ThreadPoolExecutor,
        lmtp: bool = False,
    ) -> None:
        self.addresses = frozenset(address.strip().lower() for address in addresses)
        self.store = store
        self.stored = stored
        self.executor = executor
        self.lmtp = lmtp

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        if address.strip().lower() not in self.addresses:
            return UNKNOWN_RECIPIENT.format(address=address)
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        loop = asyncio.get_running_loop()
        try:
            pk = await loop.run_in_executor(
                self.executor,
                self.store,
                raw,
                _peer(session.peer),
                envelope.mail_from or "",
                list(envelope.rcpt_tos),
            )
        except Exception:
            logger.exception("mail intake: could not store a message from %s", envelope.mail_from)
            return self._reply(envelope, NOT_STORED)
        self.stored(pk)
        return self._reply(envelope, ACCEPTED.format(id=pk))

    def _reply(self, envelope: Envelope, status: str) -> str:
        """LMTP answers DATA once per recipient."""
        if self.lmtp:
            return "\r\n".join(status for _recipient in envelope.rcpt_tos)
        return status


class _Controller(Controller):
    def __init__(self, handler: IntakeHandler, *, lmtp: bool, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self.lmtp = lmtp

    def factory(self) -> SMTP:
        protocol = IntakeLMTP if self.lmtp else IntakeSMTP
        return protocol(self.handler, **self.SMTP_kwargs)

    def _trigger_server(self) -> None:
        if self.port == 0:  # bound to a free port: learn which before connecting to it
            assert self.server is not None
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def _peer(peer: object) -> str:
    if isinstance(peer, tuple) and len(peer) >= 2:
        return f"{peer[0]}:{peer[1]}"
    return str(peer or "")


def _store(raw: bytes, peer: str, mail_from: str, rcpt_tos: list[str]) -> int:
    """One letter kept (in a store thread); its connection closed as after a web request."""
    close_old_connections()
    try:
        return receive(raw, peer=peer, mail_from=mail_from, rcpt_tos=rcpt_tos).pk
    finally:
        close_old_connections()


def _process(pk: int) -> None:
    """One stored letter made a submission (in the processing thread); never raises."""
    close_old_connections()
    try:
        message = InboundMessage.objects.filter(pk=pk, status=InboundMessage.Status.STORED).first()
        if message is not None:
            process(message)
    except Exception:  # the row stays "stored" and is processed at the next start
        logger.exception("mail intake: could not process message %s", pk)
    finally:
        close_old_connections()


def _close_connections(pool: ThreadPoolExecutor, workers: int) -> None:
    """Close the database connections of each of the pool's threads (Django keeps one per
    thread, for CONN_MAX_AGE): one task per thread, held at a barrier until all have one."""
    barrier = threading.Barrier(workers)

    def close() -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=30)
        connections.close_all()

    for future in [pool.submit(close) for _worker in range(workers)]:
        future.result()


class IntakeServer:
    """`civicplan mail_intake` without the command line: start, stop, and (for tests and the
    benchmark) wait until every accepted letter is processed."""

    def __init__(self, host: str = "127.0.0.1", port: int = 2525, *, lmtp: bool = False) -> None:
        self.store_pool = ThreadPoolExecutor(STORE_THREADS, thread_name_prefix="mail-store")
        self.process_pool = ThreadPoolExecutor(1, thread_name_prefix="mail-process")
        handler = IntakeHandler(
            settings.CIVICPLAN_NEWS_ADDRESSES,
            store=_store,
            stored=self.schedule,
            executor=self.store_pool,
            lmtp=lmtp,
        )
        self.controller = _Controller(
            handler,
            lmtp=lmtp,
            hostname=host,
            port=port,
            server_hostname=socket.gethostname(),
            ident="CivicPlan mail intake",
            data_size_limit=settings.CIVICPLAN_MAIL_MAX_BYTES,
            decode_data=False,
            enable_SMTPUTF8=True,
        )
        self.lmtp = lmtp
        self.stopping = threading.Event()

    @property
    def host(self) -> str:
        return self.controller.hostname

    @property
    def port(self) -> int:
        return self.controller.port

    def start(self) -> None:
        """Listen, and process what an earlier run stored but did not process."""
        self.controller.start()
        self.process_pool.submit(self._backlog)

    def schedule(self, pk: int) -> None:
        self.process_pool.submit(self._process, pk)

    def drain(self) -> None:
        """Wait until every letter accepted so far is processed."""
        self.process_pool.submit(lambda: None).result()

    def stop(self) -> None:
        """Stop listening; the letter being processed is finished, the ones waiting stay
        "stored" for the next start (so stopping takes a moment, not the whole queue)."""
        self.stopping.set()
        self.controller.stop()
        _close_connections(self.store_pool, STORE_THREADS)
        _close_connections(self.process_pool, 1)
        self.store_pool.shutdown(wait=True)
        self.process_pool.shutdown(wait=True)

    def _backlog(self) -> None:
        close_old_connections()
        try:
            waiting = InboundMessage.objects.filter(status=InboundMessage.Status.STORED)
            pks = list(waiting.order_by("received", "pk").values_list("pk", flat=True))
        finally:
            close_old_connections()
        for pk in pks:
            self._process(pk)

    def _process(self, pk: int) -> None:
        if not self.stopping.is_set():
            _process(pk)
