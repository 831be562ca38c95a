"""Read a cable's TAGS line into its tag codes."""

import re

from ..tag_descriptions import COUNTRY_TAGS, ORGANIZATION_TAGS, SUBJECT_TAGS

KNOWN_TAGS = frozenset(SUBJECT_TAGS) | frozenset(COUNTRY_TAGS) | frozenset(ORGANIZATION_TAGS)
TAG_LINK = re.compile(r"\[([^\]]+)\]\(#\)")


def split_run_together_tag(tag: str) -> list[str]:
    """``ETRDEINVTINTCS`` -> ``ETRD``, ``EINV``, ``TINT``, ``CS``: an unknown tag that reads
    wholly as known codes is those codes. Anything else stays as it is."""
    if tag in KNOWN_TAGS or len(tag) < 5 or not tag.isalpha():
        return [tag]
    # splits[i]: a way to read tag[:i] as known codes (fewest pieces), or None.
    splits: list[list[str] | None] = [[]] + [None] * len(tag)
    for end in range(1, len(tag) + 1):
        for length in (4, 2, 3, 5, 6):
            start = end - length
            if start >= 0 and splits[start] is not None and tag[start:end] in KNOWN_TAGS:
                candidate = [*splits[start], tag[start:end]]
                if splits[end] is None or len(candidate) < len(splits[end]):
                    splits[end] = candidate
    pieces = splits[-1] or []
    long_codes = sum(len(piece) >= 4 for piece in pieces)
    # Words are not run-together tags: POLITICS would read as PO LI TI CS.
    if len(pieces) < 2 or long_codes == 0 or len(pieces) - long_codes > long_codes:
        return [tag]
    return pieces


def split_tags(value: str) -> list[str]:
    """The tags of a TAGS line's value, each once, in order."""
    linked = TAG_LINK.findall(value)
    candidates = linked if linked else re.split(r"[,;\s]+", value)
    tags: list[str] = []
    for candidate in candidates:
        tag = re.sub(r"\s+", " ", candidate.strip(" .,;")).upper()
        for part in split_run_together_tag(tag):
            if part and part not in tags:
                tags.append(part)
    return tags
