"""The intake server: aiosmtpd speaking SMTP (or LMTP) on one event loop, and worker threads
beside it, because the Django ORM is synchronous and the loop must not wait on the disk or the
database:

- spool threads (4): DATA is read in pieces and written as it comes to a spool file in the mail
  directory (civicplan.mailintake.storage.Spool), so a letter is never held whole in memory;
  16 parallel 25 MB letters took the intake to 2.1 GB when aiosmtpd collected them in lists;
- store threads (8): fsync and rename the spool into place and insert its row, one letter
  each; the loop awaits them (`run_in_executor`) and only then answers 250, or 451 if storing
  failed, so the sender keeps a letter we could not keep and tries again;
- one processing thread: parses each stored letter and makes its submission, after the 250,
  in the order they came. One thread because the work is Python (the GIL gains nothing from
  more) and because on SQLite it keeps to one writer the long transactions (the submission, its
  attachments, history and acknowledgement task); the store threads' short inserts wait for it
  at most a moment (WAL, BEGIN IMMEDIATE, busy timeout).

Bounds (civicplan.mailintake.limits): connections in all and per client address (421 and
closed), letters per minute per address (451 at MAIL FROM), idle connections closed (421), DATA
that takes longer than DATA_DEADLINE (421 and closed), and a refused letter read on to its end
only while it is no longer than the size limit again (then the refusal, and closed).

A letter whose processing failed on a temporary error (the disk, the database) stays "stored"
and is tried again by this server after a delay that grows with the tries its row counts
(actions.RETRY_DELAYS); one whose processing never ran (the server stopped first) is processed
when the server starts again; one that failed for good is "failed", for staff.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session, syntax
from django.conf import settings
from django.db import close_old_connections, connections

from civicplan.mailintake.actions import process, receive, retry_delay
from civicplan.mailintake.datastream import DataStream, Refusal
from civicplan.mailintake.limits import Gate, Limits, client_key
from civicplan.mailintake.models import InboundMessage
from civicplan.mailintake.storage import Spool, remove_stale_spools

logger = logging.getLogger(__name__)

STORE_THREADS = 8
SPOOL_THREADS = 4
READ_BYTES = 64 * 1024  # what DATA asks the socket for at a time
SPOOL_BYTES = 256 * 1024  # what is written to the spool at a time
DATA_LINE_LIMIT = 1 << 20  # lines up to 1 MiB (RFC 5321 asks senders for 1,000, not all comply)
# Seconds one letter's DATA may take in all. The idle timeout starts again with every piece, so
# without this a sender trickling a byte at a time would hold a connection for ever; 25 MB in
# 30 minutes is 14 KB/s, slower than any line a member sends from.
DATA_DEADLINE = 30 * 60
# Replies. SMTP replies are ASCII for the sender's mail server (and its bounce to a person),
# so they are in English, as mail servers write them.
ACCEPTED = "250 2.0.0 Ok: queued as {id}"
NOT_STORED = "451 4.3.0 Could not store the message now; please try again later"
UNKNOWN_RECIPIENT = (
    "550 5.1.1 <{address}>: Recipient address rejected: this server accepts mail only for the "
    "news address"
)
TOO_BIG = "552 5.3.4 Message size exceeds fixed maximum message size of {limit} bytes"
LINE_TOO_LONG = "500 5.5.2 Line too long (see RFC 5321 4.5.3.1.6)"
IDLE = "421 4.4.2 Idle for too long; closing the connection"
DATA_TOO_SLOW = "421 4.4.2 Message not received within {limit} seconds; closing the connection"


class _Cut(Exception):
    """DATA cannot go on: the reply is given and the connection closed."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


def configured_limits(*, lmtp: bool) -> Limits:
    """The limits from settings. Over LMTP the client is our own mail server, which limits its
    clients itself: per-address limits would only throttle all mail at once."""
    return Limits(
        connections=settings.CIVICPLAN_MAIL_MAX_CONNECTIONS,
        per_address=0 if lmtp else settings.CIVICPLAN_MAIL_MAX_CONNECTIONS_PER_ADDRESS,
        letters_per_minute=0 if lmtp else settings.CIVICPLAN_MAIL_MAX_LETTERS_PER_MINUTE,
    )


class SpooledEnvelope(Envelope):
    """aiosmtpd's envelope, with the letter on disk instead of `content` in memory."""

    def __init__(self) -> None:
        super().__init__()
        self.spool: Spool | None = None


class Spooler:
    """Where DATA goes as it arrives: spool files in the mail directory, written by threads of
    their own (a store thread may be waiting on fsync or the database)."""

    def __init__(self, mail_dir: Path, executor: ThreadPoolExecutor) -> None:
        self.mail_dir = Path(mail_dir)
        self.executor = executor

    def open(self) -> Spool:
        return Spool(self.mail_dir)

    async def write(self, spool: Spool, data: bytes | bytearray) -> bool:
        """False (and the spool discarded) when the disk refuses: the letter gets 451."""
        try:
            await asyncio.get_running_loop().run_in_executor(self.executor, spool.write, data)
        except OSError:
            logger.exception("mail intake: could not spool a message")
            spool.discard()
            return False
        return True


class _Bounded:
    """What the intake changes in aiosmtpd's protocol: connections admitted by the gate (421
    and closed over the limit), DATA spooled to disk in pieces and bounded in time and in what
    is read of a refused letter, a 421 before closing an idle connection, and replies with
    enhanced status codes."""

    # The reader's buffer (and so the memory a connection can take): commands are 512 bytes;
    # DATA is read in pieces, and its lines are limited by DATA_LINE_LIMIT.
    line_length_limit = 64 * 1024
    data_size_limit: int | None
    event_handler: IntakeHandler
    envelope: SpooledEnvelope
    transport: asyncio.Transport | None
    _reader: asyncio.StreamReader
    _client: str | None = None  # the admitted client's key, released when it goes
    _refusal: str | None = None  # the 421 a connection over the limits gets

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if self._client is None and self._refusal is None:  # not again after STARTTLS
            key = client_key(transport.get_extra_info("peername"))
            self._refusal = self.event_handler.gate.admit(key)
            self._client = key if self._refusal is None else None
        super().connection_made(transport)  # type: ignore[misc]

    def connection_lost(self, error: Exception | None) -> None:
        if self._client is not None:
            self.event_handler.gate.release(self._client)
            self._client = None
        super().connection_lost(error)  # type: ignore[misc]

    async def _handle_client(self) -> None:
        if self._refusal is None:
            await super()._handle_client()  # type: ignore[misc]
            return
        await self.push(self._refusal)
        if self.transport is not None:
            self.transport.close()

    def _timeout_cb(self) -> None:
        """RFC 5321 lets a server close an idle connection; it says why first."""
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(IDLE.encode("ascii") + b"\r\n")
        super()._timeout_cb()  # type: ignore[misc]

    def _create_envelope(self) -> SpooledEnvelope:
        return SpooledEnvelope()

    async def push(self, status: str | bytes) -> None:
        if isinstance(status, str) and status.startswith("552 Error:"):  # MAIL FROM's SIZE=
            status = TOO_BIG.format(limit=self.data_size_limit)
        await super().push(status)  # type: ignore[misc]

    @syntax("DATA")
    async def smtp_DATA(self, arg: str) -> None:
        if not await self._data_allowed(arg):
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        spool = self.event_handler.spooler.open()
        try:
            refusal = await self._read_data(spool)
            if refusal is None:
                self.envelope.spool = spool
                status = await self._call_handler_hook("DATA")  # type: ignore[attr-defined]
            else:
                status = self.event_handler.reply(self.envelope, refusal)
        except _Cut as cut:
            await self._close_with(cut.status)
            return
        finally:
            spool.discard()  # nothing happens to a kept one
        self._set_post_data_state()  # type: ignore[attr-defined]
        await self.push(status)

    async def _close_with(self, status: str) -> None:
        """Reply (once per recipient over LMTP) and close the connection, as QUIT does."""
        await self.push(self.event_handler.reply(self.envelope, status))
        self._handler_coroutine.cancel()  # type: ignore[attr-defined]
        if self.transport is not None:
            self.transport.close()

    async def _data_allowed(self, arg: str) -> bool:
        """aiosmtpd's own checks before DATA's 354."""
        if await self.check_helo_needed():  # type: ignore[attr-defined]
            return False
        if await self.check_auth_needed("DATA"):  # type: ignore[attr-defined]
            return False
        if not self.envelope.rcpt_tos:
            await self.push("503 Error: need RCPT command")
            return False
        if arg:
            await self.push("501 Syntax: DATA")
            return False
        return True

    async def _read_data(self, spool: Spool) -> str | None:
        """_read_stream within DATA_DEADLINE, else _Cut with a 421."""
        try:
            async with asyncio.timeout(DATA_DEADLINE):
                return await self._read_stream(spool)
        except TimeoutError:
            raise _Cut(DATA_TOO_SLOW.format(limit=DATA_DEADLINE)) from None

    async def _read_stream(self, spool: Spool) -> str | None:
        """The letter into the spool, up to its end mark; the refusal reply, or None. A refused
        letter is read on to its end only while what follows the refusal is no longer than the
        size limit (the line limit when there is none): then _Cut with the refusal."""
        stream = DataStream(self.data_size_limit, DATA_LINE_LIMIT)
        read_after_refusal = self.data_size_limit or DATA_LINE_LIMIT
        pending = bytearray()
        spooled = True
        while not stream.done:
            pending += stream.feed(await self._next_piece())
            if stream.refusal is not None and stream.ignored > read_after_refusal:
                raise _Cut(self._refusal_reply(stream.refusal))
            if len(pending) >= SPOOL_BYTES or stream.done:
                piece, pending = pending, bytearray()
                spooled = spooled and await self.event_handler.spooler.write(spool, piece)
        self._put_back(stream.rest)
        if stream.refusal is not None:
            return self._refusal_reply(stream.refusal)
        return None if spooled else NOT_STORED

    def _refusal_reply(self, refusal: Refusal) -> str:
        if refusal is Refusal.TOO_BIG:
            return TOO_BIG.format(limit=self.data_size_limit)
        return LINE_TOO_LONG

    async def _next_piece(self) -> bytes:
        piece = await self._reader.read(READ_BYTES)
        if not piece:
            raise ConnectionResetError("the connection closed during DATA")
        self._reset_timeout()  # type: ignore[attr-defined]  # idle means no bytes, not a slow letter
        return piece

    def _put_back(self, rest: bytes) -> None:
        """Bytes after the end mark are the sender's next command, sent before our reply (we
        offer no PIPELINING, but a sender may): back to the reader for the command loop.
        StreamReader has no unread; its buffer is a bytearray (aiosmtpd itself clears it for
        STARTTLS)."""
        if rest:
            self._reader._buffer[:0] = rest  # type: ignore[attr-defined]


class IntakeSMTP(_Bounded, SMTP):
    pass


class IntakeLMTP(_Bounded, LMTP):
    pass


class IntakeHandler:
    """aiosmtpd hooks: who may send (MAIL: the rate per address), who may be written to (RCPT)
    and what is done with a letter (DATA)."""

    def __init__(
        self,
        addresses: Iterable[str],
        *,
        store: Callable[[Spool, str, str, list[str]], int],
        stored: Callable[[int], None],
        executor: ThreadPoolExecutor,
        spooler: Spooler,
        gate: Gate,
        lmtp: bool = False,
    ) -> None:
        self.addresses = frozenset(address.strip().lower() for address in addresses)
        self.store = store
        self.stored = stored
        self.executor = executor
        self.spooler = spooler
        self.gate = gate
        self.lmtp = lmtp

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        refusal = self.gate.letter(client_key(session.peer))
        if refusal is not None:
            return refusal
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 2.1.0 Ok"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        if address.strip().lower() not in self.addresses:
            return UNKNOWN_RECIPIENT.format(address=address)
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        spool = getattr(envelope, "spool", None)
        assert spool is not None, "the protocol spools DATA"
        loop = asyncio.get_running_loop()
        try:
            pk = await loop.run_in_executor(
                self.executor,
                self.store,
                spool,
                _peer(session.peer),
                envelope.mail_from or "",
                list(envelope.rcpt_tos),
            )
        except Exception:
            logger.exception("mail intake: could not store a message from %s", envelope.mail_from)
            return self.reply(envelope, NOT_STORED)
        self.stored(pk)
        return self.reply(envelope, ACCEPTED.format(id=pk))

    def reply(self, envelope: Envelope, status: str) -> str:
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


def _store(spool: Spool, peer: str, mail_from: str, rcpt_tos: list[str]) -> int:
    """One letter kept (in a store thread); its connection closed as after a web request."""
    close_old_connections()
    try:
        return receive(spool, peer=peer, mail_from=mail_from, rcpt_tos=rcpt_tos).pk
    finally:
        close_old_connections()


def _process(pk: int) -> int | None:
    """One stored letter made a submission (in the processing thread); never raises. When it is
    to be tried again later, the tries its row counts: a temporary error left it "stored", or
    not even that could be written (the database is away; the count then is the one last
    read, 0 if none was). None when it is done with."""
    close_old_connections()
    tries = 0
    try:
        message = InboundMessage.objects.filter(pk=pk, status=InboundMessage.Status.STORED).first()
        if message is None:
            return None
        tries = message.attempts
        message = process(message)
        return message.attempts if message.status == InboundMessage.Status.STORED else None
    except Exception:
        logger.exception("mail intake: could not process message %s; will try again", pk)
        return tries
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
        self.spool_pool = ThreadPoolExecutor(SPOOL_THREADS, thread_name_prefix="mail-spool")
        self.process_pool = ThreadPoolExecutor(1, thread_name_prefix="mail-process")
        self.gate = Gate(configured_limits(lmtp=lmtp))
        handler = IntakeHandler(
            settings.CIVICPLAN_NEWS_ADDRESSES,
            store=_store,
            stored=self.schedule,
            executor=self.store_pool,
            spooler=Spooler(Path(settings.CIVICPLAN_MAIL_DIR), self.spool_pool),
            gate=self.gate,
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
            timeout=settings.CIVICPLAN_MAIL_IDLE_TIMEOUT,
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
        remove_stale_spools(Path(settings.CIVICPLAN_MAIL_DIR))
        self.controller.start()
        self.process_pool.submit(self._backlog)

    def schedule(self, pk: int) -> None:
        if not self.stopping.is_set():
            self.process_pool.submit(self._process, pk)

    def drain(self) -> None:
        """Wait until every letter accepted so far is processed (those waiting for another try
        after a temporary error are not waited for)."""
        self.process_pool.submit(lambda: None).result()

    def stop(self) -> None:
        """Stop listening; the letter being processed is finished, the ones waiting stay
        "stored" for the next start (so stopping takes a moment, not the whole queue)."""
        self.stopping.set()
        self.controller.stop()
        _close_connections(self.store_pool, STORE_THREADS)
        _close_connections(self.process_pool, 1)
        self.store_pool.shutdown(wait=True)
        self.spool_pool.shutdown(wait=True)
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
        if self.stopping.is_set():
            return
        tries = _process(pk)
        if tries is not None:
            self._again_later(pk, tries)

    def _again_later(self, pk: int, tries: int) -> None:
        """Another try after a delay that grows with the tries the letter's row counts (a full
        disk, a database away), so that it goes on growing after a restart; the event loop
        keeps the timer, so nothing waits in a thread meanwhile."""
        loop = self.controller.loop
        with contextlib.suppress(RuntimeError):  # the loop is closed: the server stopped
            loop.call_soon_threadsafe(loop.call_later, retry_delay(tries), self.schedule, pk)
