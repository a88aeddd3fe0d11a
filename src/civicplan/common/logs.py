"""What a log line about a request says: its method, path, user and address, on every record
Django writes with a request (an error's record carries it), so a 500 in the log can be traced
to who did what. The text is the stderr of the process (systemd's journal, a container's log);
CIVICPLAN_LOG_JSON=1 writes one JSON object a line (python-json-logger)."""

from __future__ import annotations

import logging

from civicplan.common.clients import client_address


class RequestContext(logging.Filter):
    """Adds `method`, `path`, `user` and `client` (empty without a request); never drops."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        user = getattr(request, "user", None)
        record.method = getattr(request, "method", "") or ""
        record.path = request.get_full_path()[:500] if request is not None else ""
        record.user = str(user.pk) if user is not None and user.is_authenticated else ""
        record.client = client_address(request) if request is not None else ""
        return True
