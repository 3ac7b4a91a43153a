"""One small function per policy rule, grouped by area; each returns a CheckResult."""
