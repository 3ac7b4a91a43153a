"""Bottom layer shared by every package: settings, errors, clock, money."""
