"""Prompts and message templates (no logic)."""
