"""Dialogue acts: what a message wants (labelled corpus in knowledge/dialoog/, a model trained at start-up)."""
