"""Grounded answers from the publication and team documents: extractive by default, LLM when configured."""
