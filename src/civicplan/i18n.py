"""Translation for the pure libraries (`timeframes`, `plandoc`) without importing Django.

The libraries mark their messages with `gettext` (imported as `_`), whose msgid is the Russian
text. By default it returns the text unchanged, so the libraries speak Russian on their own; the
Django project installs `django.utils.translation.gettext` with `set_translator` (in
`civicplan.plans.apps`), and the messages then follow the active language. `makemessages` finds
the `_("…")` calls and puts them in the same catalogue as the rest of the project.

A message with variable parts keeps its msgid constant: `_("строка %(row)s") % {"row": 5}`.
"""

from __future__ import annotations

from collections.abc import Callable

Translator = Callable[[str], str]


def _identity(message: str) -> str:
    return message


_translator: Translator = _identity


def gettext(message: str) -> str:
    """The message in the current language (the Russian msgid itself without a translator)."""
    return _translator(message)


def gettext_noop(message: str) -> str:
    """Mark a message for translation without translating it now (module-level constants)."""
    return message


def set_translator(translator: Translator | None) -> None:
    """Install the function every `gettext` call goes through; None restores the identity."""
    global _translator  # one process-wide translator, by design
    _translator = translator if translator is not None else _identity


def get_translator() -> Translator:
    """The translator now installed (to restore it after a temporary change)."""
    return _translator
