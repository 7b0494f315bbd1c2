"""Package version."""

VERSION = "1.0.0b9.post1"
