"""How well the parser reads the release, and what a wrong value looks like."""
