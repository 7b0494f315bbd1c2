"""Prompt templates from strings and prompty files (``pip install 'azure-ai-inference[prompts]'``)."""

from ._template import PromptTemplate

__all__ = ["PromptTemplate"]
