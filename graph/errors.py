"""Errors a user can cause. The CLI turns each into one line on stderr and its own exit code."""


class UserError(Exception):
    """Something the user can fix; never shown with a traceback."""

    exit_code = 2


class InputError(UserError):
    """A post that cannot be read: missing, empty, binary, undecodable or too large."""

    exit_code = 2


class ConfigError(UserError):
    """Settings that cannot work: a malformed model list, an unreadable taxonomy file."""

    exit_code = 3
