"""ometsuke: a press-release and procurement watchdog for Japanese government and corporate pages."""

__version__ = "0.1.0"
