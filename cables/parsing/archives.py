"""Read cable files out of zip archives without trusting the archive.

Members are read one at a time and never written to disk, so a member name such as
``../etc/passwd`` is only ever a label. The caps below count the bytes actually
read, not what the zip's directory claims, so a zip bomb stops at the cap.
"""

import io
import os
import zipfile
from collections.abc import Callable, Iterator

from .errors import ParseError

CABLE_SUFFIXES = (".txt", ".html", ".htm", ".csv", ".zip")
MAX_ZIP_MEMBERS = 100_000
MAX_ZIP_TOTAL_BYTES = 4 * 1024**3
MAX_ZIP_MEMBER_BYTES = 64 * 1024**2
MAX_ZIP_RATIO = 200
MAX_ZIP_DEPTH = 2

# read_bytes(content, name, depth) from readers.py: reads one member by its suffix.
MemberReader = Callable[[bytes, str, int], Iterator]


def read_zip(
    data: bytes | io.BufferedIOBase, source: str, depth: int, read_member_bytes: MemberReader
) -> Iterator:
    """Yield what ``read_member_bytes`` makes of each member, or a ParseError per bad member."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data)
        members = [member for member in archive.infolist() if not member.is_dir()]
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        yield ParseError(f"not a readable zip: {error}", source)
        return
    if len(members) > MAX_ZIP_MEMBERS:
        yield ParseError(
            f"zip has {len(members)} files, more than the {MAX_ZIP_MEMBERS} allowed", source
        )
        return
    total = 0
    for member in members:
        # Member names are only labels: nothing is ever written to disk by name.
        name = f"{source}:{member.filename}"
        suffix = os.path.splitext(member.filename)[1].lower()
        if suffix not in CABLE_SUFFIXES:
            yield ParseError(
                f"not a cable file (expected one of {', '.join(CABLE_SUFFIXES)})", name
            )
            continue
        try:
            content = read_member(archive, member, name, budget=MAX_ZIP_TOTAL_BYTES - total)
        except ParseError as error:
            yield error
            if "total" in error.reason:
                return
            continue
        total += len(content)
        yield from read_member_bytes(content, name, depth + 1)


def read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str, budget: int) -> bytes:
    limit = min(MAX_ZIP_MEMBER_BYTES, max(1, member.compress_size) * MAX_ZIP_RATIO)
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(1024 * 1024):
                size += len(chunk)
                if size > budget:
                    raise ParseError("zip holds more uncompressed data in total than allowed", name)
                if size > limit:
                    raise ParseError(
                        f"zip member expands beyond {limit} bytes: refused as a zip bomb",
                        name,
                    )
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as error:
        raise ParseError(f"unreadable zip member: {error}", name) from error
    return b"".join(chunks)
