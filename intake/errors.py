"""The two kinds of failure the CLI maps to exit codes."""


class ConfigError(Exception):
    """Usage or configuration problem: exit code 2."""


class RunError(Exception):
    """A run that failed (network, missing entry, refused action): exit code 1."""
