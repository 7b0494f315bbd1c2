"""Package version."""

VERSION = "1.0.0b10"
