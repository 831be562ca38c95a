class ParseError(ValueError):
    """Raised for anything that is not a readable cable.

    ``source`` names the file (and zip member or CSV row); ``line`` is the 1-based
    line where the problem was found, when one can be named.
    """

    def __init__(self, reason: str, source: str = "", line: int | None = None):
        self.reason = reason
        self.source = source
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.source or "<text>"
        if self.line is not None:
            where = f"{where}, line {self.line}"
        return f"{where}: {self.reason}"

    def with_source(self, source: str) -> "ParseError":
        """The same error, naming ``source`` if it did not name one yet."""
        return self if self.source else ParseError(self.reason, source, self.line)
