"""The benchmarks of `make bench`. Each process they start is an installation of its own, which
needs a secret key like any other: one made up for the run, unless the environment has one."""

import os
import secrets

os.environ.setdefault("CIVICPLAN_SECRET_KEY", secrets.token_urlsafe(40))
