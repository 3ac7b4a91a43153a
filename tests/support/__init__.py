"""Test helpers shared across the suite (factories, servers)."""
