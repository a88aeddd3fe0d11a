"""gunicorn's settings for CivicPlan (`gunicorn --config deploy/gunicorn.conf.py civicplan.wsgi`),
from the environment: where to listen, how many workers. A request gets at most `timeout`
seconds of a worker (long work such as a large import runs as a background task instead)."""

import multiprocessing
import os

bind = os.environ.get("CIVICPLAN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("CIVICPLAN_WEB_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8)))
worker_class = "sync"
timeout = int(os.environ.get("CIVICPLAN_WEB_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced now and then, so that no slow leak can grow for ever.
max_requests = 2000
max_requests_jitter = 200
# Bounds on what a client may send before Django sees it (Django bounds the body).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# The proxy's address, whose X-Forwarded-* headers are believed (docs/deploy.md).
forwarded_allow_ips = os.environ.get("CIVICPLAN_PROXY_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("CIVICPLAN_LOG_LEVEL", "info").lower()
# No control socket in the home directory: systemd and honcho manage the process.
control_socket_disable = True
