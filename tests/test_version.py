"""The version number: one that every framework built on 1.0.0b9 accepts (CHANGELOG, "Version number and
packaging"); tests/test_api_surface.py checks it is exported."""

from __future__ import annotations

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from azure.ai.inference._version import VERSION

# The azure-ai-inference requirements in the frameworks' published metadata (Requires-Dist of their wheels).
# scripts/release.sh has pip resolve the built wheel beside each framework; this checks the arithmetic alone.
FRAMEWORK_SPECIFIERS = {
    "agent-framework-foundry 1.15.0": ">=1.0.0b9,<1.0.0b10",
    "agent-framework-azure-ai 1.0.0rc6": ">=1.0.0b9,<1.0.0b10",
    "langchain-azure-ai 1.2.12": ">=1.0.0b9,<2.0",
    "semantic-kernel 1.45.0": ">=1.0.0b6",
    "autogen-ext 0.7.5": ">=1.0.0b9",
    "llama-index connectors": ">=1.0.0b5",
}


@pytest.mark.parametrize("framework", FRAMEWORK_SPECIFIERS)
def test_every_framework_specifier_admits_the_version(framework: str) -> None:
    # A pre-release is admitted only when asked for: pip does so because the specifier itself names one.
    specifier = SpecifierSet(FRAMEWORK_SPECIFIERS[framework], prereleases=True)
    assert Version(VERSION) in specifier
    assert Version("1.0.0b9") in specifier  # the specifier is read as the framework means it

