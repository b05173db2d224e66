"""The one kind of error a user can act on: a refusal with a Chinese message.

Services and domain rules raise subclasses of UserError; the web answers them once (web/errors.py:
the error's STATUS, its message shown as it is) and so does the command line (gridmgmt/cli: the
message, exit 1). Anything else that escapes is a bug: a 500 and a traceback in the log.
"""


class UserError(Exception):
    """A refusal whose str() is a Chinese message safe to show; STATUS is the HTTP answer."""

    status = 400


class NotFound(UserError):
    """What was asked for does not exist (or is outside the user's scope, which must look the same)."""

    status = 404


class Conflict(UserError):
    """The request clashes with the data as it is now (changed meanwhile, already done, in use)."""

    status = 409


class TownshipNotFound(NotFound, LookupError):
    """No township has the requested code."""

    def __init__(self, code: str):
        super().__init__(f"没有编码为 {code} 的乡镇")
        self.code = code
