"""SMTP DATA read in pieces as they arrive, not line by line into memory: each piece is turned
back into the letter's bytes (RFC 5321 4.5.2: the leading dot of a line removed, the end at the
line with a single dot) and goes straight to the spool on disk.

Pure Python, no I/O. The stream is read as if a line ended just before it, so that every line
begins after a CRLF: a line's leading dot is then "CRLF ." and the end is "CRLF . CRLF", which
bytes.replace and bytes.find do at C speed. The few bytes at the end of a piece that may be the
start of either are held back until the next piece.
"""

from __future__ import annotations

import enum

END = b"\r\n.\r\n"
_STUFFED = b"\r\n."


class Refusal(enum.Enum):
    """Why a letter read to its end is not taken."""

    TOO_BIG = "too big"
    LINE_TOO_LONG = "line too long"


class DataStream:
    """One letter's DATA. `feed` each piece as it comes; it returns the letter's bytes in it
    (nothing once the letter is refused) until `done`. A refused letter is still read to its
    end, as RFC 5321 asks, so that the reply comes where the sender waits for it; `ignored`
    counts what came after the refusal, for the server to bound."""

    def __init__(self, size_limit: int | None, line_limit: int) -> None:
        self.size_limit = size_limit
        self.line_limit = line_limit
        self.size = 0  # the letter's bytes so far
        self.done = False
        self.refusal: Refusal | None = None
        self.ignored = 0  # bytes fed after the letter was refused
        self.rest = b""  # what came after the end (a sender that did not wait for our reply)
        self._carry = b"\r\n"  # the line end the stream is read as following
        self._skip = 2  # ... which is not part of the letter
        self._line = 0  # bytes since the last line end

    def feed(self, piece: bytes) -> bytes:
        """The letter's bytes in `piece` (after what earlier pieces held back)."""
        if self.refusal is not None:
            self.ignored += len(piece)
        data = self._carry + piece
        end = data.find(END)
        if end >= 0:
            self.done = True
            self.rest = data[end + len(END) :]
            body, self._carry = data[: end + 2], b""
        else:
            held = _held_back(data)
            body, self._carry = data[: len(data) - held], data[len(data) - held :]
        self._measure_lines(body)
        letter = body.replace(_STUFFED, b"\r\n")
        if self._skip:
            skipped = min(self._skip, len(letter))
            letter, self._skip = letter[skipped:], self._skip - skipped
        self.size += len(letter)
        if self.refusal is None and self.size_limit and self.size > self.size_limit:
            self.refusal = Refusal.TOO_BIG
        return b"" if self.refusal else letter

    def _measure_lines(self, body: bytes) -> None:
        """A line longer than the limit refuses the letter (aiosmtpd's rule, kept)."""
        first = body.find(b"\n")
        if first < 0:
            self._line += len(body)
        else:
            if self._line + first > self.line_limit:
                self._refuse(Refusal.LINE_TOO_LONG)
            self._line = len(body) - body.rfind(b"\n") - 1
        if self._line > self.line_limit:
            self._refuse(Refusal.LINE_TOO_LONG)

    def _refuse(self, refusal: Refusal) -> None:
        if self.refusal is None:
            self.refusal = refusal


def _held_back(data: bytes) -> int:
    """How many bytes at the end of `data` may begin a stuffed dot or the end mark."""
    for length in range(len(END) - 1, 0, -1):
        if data.endswith(END[:length]):
            return length
    return 0
