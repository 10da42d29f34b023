"""The API's error object, raised by the fake's logic and rendered by its server."""

from __future__ import annotations

from typing import Any

__all__ = ["ApiError", "error_body"]

_DOC_URL = "https://docs.prelude.so/api-reference/errors#{code}"


def error_body(code: str, message: str) -> dict[str, Any]:
    """The `ErrorResponse` schema of the spec: code, message and doc_url."""
    return {"code": code, "message": message, "doc_url": _DOC_URL.format(code=code)}


class ApiError(Exception):
    """A refusal the API expresses with its error object and an HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(code, message, status)
        self.code = code
        self.message = message
        self.status = status

    def body(self) -> dict[str, Any]:
        return error_body(self.code, self.message)

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.message}"
