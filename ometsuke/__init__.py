"""ometsuke: a press-release and procurement watchdog for Japanese government and corporate pages."""

__version__ = "0.1.0"
INTERRUPTED_EXIT = 130  # exit code after Ctrl-C (SIGINT), as shells count 128 + the signal number
