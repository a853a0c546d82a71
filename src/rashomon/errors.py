"""One catalogue of errors. Each says what happened, why, and how to fix it.

Exceptions are for misconfiguration and bugs; a bad *input* is not an exception but a
:class:`rashomon.model.Skipped` record that is counted and reported. The CLI turns a
``RashomonError`` into exit code 2, the API into an HTTP 4xx with ``{"error": message}``.

>>> str(InputNotFound("missing.txt"))
"E001 input not found: 'missing.txt'. Check the path; directories are read recursively."
"""

from __future__ import annotations


class RashomonError(Exception):
    """Base of every error rashomon raises on purpose."""

    code = "E000"
    status = 400  # the HTTP status the API maps it to

    def __init__(self, message: str, fix: str = "") -> None:
        self.message = message
        self.fix = fix
        super().__init__(self.__str__())

    def __str__(self) -> str:
        text = f"{self.code} {self.message}"
        return f"{text}. {self.fix}" if self.fix else text


class InputNotFound(RashomonError):
    code = "E001"
    status = 404

    def __init__(self, path: str) -> None:
        super().__init__(f"input not found: {path!r}", "Check the path; directories are read recursively.")


class UsageError(RashomonError):
    code = "E002"


class ConfigError(RashomonError):
    code = "E003"


class StoreError(RashomonError):
    code = "E004"
    status = 500


class NotFound(RashomonError):
    code = "E005"
    status = 404


class FetchError(RashomonError):
    code = "E006"


class EngineError(RashomonError):
    code = "E007"
    status = 500
