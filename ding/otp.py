"""The official client's module path of ``s.otp``'s class: ``from ding.otp import Otp``
(``mock.patch("ding.otp.Otp.check")`` patches every client's ``otp.check``)."""

from ._sync_client import Otp

__all__ = ["Otp"]
