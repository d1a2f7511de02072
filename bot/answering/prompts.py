"""Prompt files from prompts/ (UTF-8). Python holds no prompt text; a missing variable fails loudly."""

from __future__ import annotations

import string
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from langchain_core.prompts import ChatPromptTemplate

_SUFFIXES = (".md", ".txt")


class PromptError(KeyError):
    """A prompt file is missing, or a variable it needs was not given."""

    def __str__(self) -> str:  # KeyError would show the message with quotes
        return str(self.args[0]) if self.args else ""


class PromptLibrary:
    """Loads prompt templates by name (file stem) from one directory, once per name."""

    def __init__(self, directory: Path) -> None:
        self._directory = Path(directory)
        self._cache: dict[str, str] = {}
        self._lock = threading.Lock()

    def text(self, name: str) -> str:
        """The raw template text of prompts/<name>.md (or .txt)."""
        with self._lock:
            if name not in self._cache:
                self._cache[name] = self._read(name)
            return self._cache[name]

    def _read(self, name: str) -> str:
        for suffix in _SUFFIXES:
            path = self._directory / f"{name}{suffix}"
            if path.is_file():
                return path.read_text(encoding="utf-8").strip()
        raise PromptError(f"Prompt '{name}' niet gevonden in {self._directory}")

    def variables(self, name: str) -> set[str]:
        """Names of the {variables} the template uses."""
        fields = string.Formatter().parse(self.text(name))
        return {field.split(".")[0].split("[")[0] for _, field, _, _ in fields if field}

    def render(self, name: str, **values: object) -> str:
        """Fill in the template; raises PromptError naming any missing variable."""
        missing = sorted(self.variables(name) - values.keys())
        if missing:
            raise PromptError(f"Prompt '{name}' mist variabele(n): {', '.join(missing)}")
        return self.text(name).format(**values)

    def chat(self, system: str, user: str) -> ChatPromptTemplate:
        """A langchain ChatPromptTemplate from a system and a user prompt file."""
        from langchain_core.prompts import ChatPromptTemplate  # ~1 s to import: only in LLM mode (issue #12)

        return ChatPromptTemplate.from_messages([("system", self.text(system)), ("human", self.text(user))])

    def chat_messages(self, system: str, user: str, **values: object) -> list:
        """Render a system + user prompt pair to chat messages; fails loudly on a missing variable."""
        missing = sorted((self.variables(system) | self.variables(user)) - values.keys())
        if missing:
            raise PromptError(f"Prompt '{system}/{user}' mist variabele(n): {', '.join(missing)}")
        return self.chat(system, user).format_messages(**values)
