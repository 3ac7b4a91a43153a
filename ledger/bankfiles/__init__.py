"""Bank statement parsers: camt.05x, BAI2, MT940, OFX, CSV."""
