"""The `civicplan` console command: Django's manage.py under the project's own name."""

import os
import secrets
import sys
from pathlib import Path


def local_secret_key() -> str:
    """The secret key of this machine's installation, generated once into var/secret-key
    (readable by its owner only) and kept, so that a restart keeps everyone logged in."""
    project = Path(__file__).resolve().parents[2]
    key_file = Path(os.environ.get("CIVICPLAN_VAR_DIR", project / "var")) / "secret-key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


def main(argv: list[str] | None = None) -> None:
    """Run a management command (`civicplan timeframe …`, `civicplan migrate`, …). Without
    CIVICPLAN_SECRET_KEY in the environment (a developer machine), the local key is used."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicplan.settings")
    if not os.environ.get("CIVICPLAN_SECRET_KEY"):
        os.environ["CIVICPLAN_SECRET_KEY"] = local_secret_key()
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv if argv is not None else sys.argv)


if __name__ == "__main__":
    main()
