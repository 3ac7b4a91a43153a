"""matching package."""
