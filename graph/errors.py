"""Errors a user can cause. The CLI turns each into one line on stderr and its own exit code."""


class UserError(Exception):
    """Something the user can fix; never shown with a traceback."""

    exit_code = 2


class InputError(UserError):
    """Input that cannot be used: a post that is missing, unreadable, empty, binary, undecodable, too large or
    not a regular file (a pipe, a device); an --out that is a file; a --deadline that is not above 0."""

    exit_code = 2


class ConfigError(UserError):
    """Settings that cannot work: a malformed model list, limit or endpoint, a state folder that is a file or
    read-only, an unreadable taxonomy file."""

    exit_code = 3
