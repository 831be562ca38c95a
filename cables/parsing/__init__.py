"""Turn cable files into structured cables, without Django.

``parse_cable(text)`` reads one cable's text into a :class:`ParsedCable`;
``read_path(path)`` turns a file, zip or directory into :class:`SourceText` items
(one per cable) and :class:`ParseError` items (one per thing that could not be read).
"""

from .cable import ParsedCable, ParsedParagraph, ParsedSender
from .errors import ParseError
from .reader import parse_cable
from .readers import SourceText, read_path, read_paths

__all__ = [
    "ParseError",
    "ParsedCable",
    "ParsedParagraph",
    "ParsedSender",
    "SourceText",
    "parse_cable",
    "read_path",
    "read_paths",
]
