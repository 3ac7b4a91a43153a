"""The collections policy: the YAML, its typed loader, and pure guardrail checks."""
