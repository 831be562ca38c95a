"""Read cable files out of zip archives without trusting the archive.

Members are read one at a time and never written to disk, so a member name such as
``../etc/passwd`` or ``/etc/passwd`` is only ever a label. The caps below count the
bytes actually read, not what the zip's directory claims, so a zip bomb stops at the
cap. A zip inside a zip is read here too (one level deep by default), sharing the
outer zip's budget, so nesting cannot multiply the caps.
"""

import io
import lzma
import os
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .errors import ParseError

CABLE_SUFFIXES = (".txt", ".html", ".htm", ".csv", ".zip")
MAX_ZIP_MEMBERS = 100_000
MAX_ZIP_TOTAL_BYTES = 4 * 1024**3
MAX_ZIP_MEMBER_BYTES = 64 * 1024**2
MAX_ZIP_RATIO = 200
MAX_ZIP_DEPTH = 1  # a zip inside a zip is read; a zip inside that is refused

# read_bytes(content, name, depth) from readers.py: reads one member by its suffix.
MemberReader = Callable[[bytes, str, int], Iterator]


@dataclass(frozen=True)
class ZipLimits:
    members: int = MAX_ZIP_MEMBERS  # files in one zip
    total_bytes: int = MAX_ZIP_TOTAL_BYTES  # uncompressed, over the zip and every zip in it
    member_bytes: int = MAX_ZIP_MEMBER_BYTES  # uncompressed, one member
    ratio: int = MAX_ZIP_RATIO  # uncompressed : compressed, per member and per zip
    depth: int = MAX_ZIP_DEPTH  # zips inside zips


class BytesRead:
    """The uncompressed bytes read so far from one uploaded zip and the zips inside it."""

    def __init__(self):
        self.total = 0
        self.stopped = False


def read_zip(
    data: bytes | io.BufferedIOBase,
    source: str,
    depth: int,
    read_member_bytes: MemberReader,
    limits: ZipLimits | None = None,
    read: BytesRead | None = None,
) -> Iterator:
    """Yield what ``read_member_bytes`` makes of each member, or a ParseError per bad member."""
    limits = limits or ZipLimits()
    read = read or BytesRead()
    try:
        stream = io.BytesIO(data) if isinstance(data, bytes) else data
        archive_size = stream.seek(0, io.SEEK_END)
        stream.seek(0)
        archive = zipfile.ZipFile(stream)
        members = [member for member in archive.infolist() if not member.is_dir()]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
        # NotImplementedError: a "version needed to extract" zipfile does not know
        yield ParseError(f"not a readable zip: {error}", source)
        return
    if len(members) > limits.members:
        yield ParseError(
            f"zip has {len(members)} files, more than the {limits.members} allowed: none read",
            source,
        )
        return
    read_here = 0
    for member in members:
        name = f"{source}:{member.filename}"
        suffix = os.path.splitext(member.filename)[1].lower()
        if suffix not in CABLE_SUFFIXES:
            yield ParseError(
                f"not a cable file (expected one of {', '.join(CABLE_SUFFIXES)})", name
            )
            continue
        if suffix == ".zip" and depth >= limits.depth:
            yield ParseError(f"zip nested more than {limits.depth} deep: not read", name)
            continue
        # The zip's own size is a fact; a member's compressed size is only a claim.
        compressed = max(1, min(member.compress_size, archive_size))
        cap = min(
            limits.member_bytes,
            compressed * limits.ratio,
            archive_size * limits.ratio - read_here,
        )
        before = read.total
        try:
            content, refused = read_member(archive, member, name, cap, read, limits), None
        except ParseError as error:
            content, refused = b"", error
        read_here += read.total - before
        if refused:
            yield refused
            if read.stopped:
                return
            continue
        if suffix == ".zip":
            yield from read_zip(content, name, depth + 1, read_member_bytes, limits, read)
            if read.stopped:
                return
        else:
            yield from read_member_bytes(content, name, depth + 1)


def read_member(
    archive: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    name: str,
    cap: int,
    read: BytesRead,
    limits: ZipLimits,
) -> bytes:
    """One member's bytes, counted chunk by chunk as they are decompressed."""
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(256 * 1024):
                size += len(chunk)
                read.total += len(chunk)
                if read.total > limits.total_bytes:
                    read.stopped = True
                    raise ParseError(
                        f"zip holds more than {limits.total_bytes} bytes uncompressed in all: "
                        "refused as a zip bomb; this member and the ones after it were not read",
                        name,
                    )
                if size > cap:
                    raise ParseError(
                        f"zip member expands beyond {max(cap, 0)} bytes: refused as a zip bomb "
                        f"(the caps: {limits.ratio} times its compressed size, "
                        f"{limits.member_bytes} bytes a member)",
                        name,
                    )
                chunks.append(chunk)
    except ParseError:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        lzma.LZMAError,  # a corrupt LZMA member (bz2's errors are OSErrors)
        OSError,
        EOFError,
        RuntimeError,
        NotImplementedError,
        ValueError,  # e.g. "negative seek value": a zip whose start was cut off
    ) as error:
        raise ParseError(f"unreadable zip member: {error}", name) from error
    return b"".join(chunks)
