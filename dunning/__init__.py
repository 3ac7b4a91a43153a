"""dunning package."""
