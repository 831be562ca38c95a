"""Fuzzing the upload readers and the parser behind them: whatever bytes arrive, under
whatever name, reading gives cable texts and ParseErrors, never another exception, and
every text read parses to a cable or a ParseError (``cable_data`` included, which reads
the release's metadata beside the text).

Two fuzzers, both bounded in time:

* hypothesis, in ``make test``: random bytes as each kind of file; HTML- and CSV-shaped
  noise; zips built with ``zipfile`` (odd and hostile member names, nested zips, every
  compression), then truncated, bit-flipped, marked encrypted or given an unknown
  compression method; read as ``import_cables`` reads them (``read_bytes``,
  ``read_path``) and as an upload is read (``uploads.read_stored``). About 20 s.
* atheris (coverage-guided, libFuzzer), when installed: this file is also its harness,
  ``python tests/test_fuzz.py [libFuzzer options]``, fed the seed cable, an HTML page, a
  CSV row and a zip of them; ``test_atheris_finds_no_crash`` runs it for 10 s.

Crashes found are kept below as regression tests (``test_regression_…``).
"""

import contextlib
import io
import os
import subprocess
import sys
import warnings
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":  # the atheris harness: no Django, no pytest
    import atheris

    sys.path.insert(0, str(PROJECT))
    # Coverage from the readers, the parser and the standard library's readers under them.
    instrumented = atheris.instrument_imports(include=["cables", "zipfile", "csv", "html"])
else:
    instrumented = contextlib.nullcontext()

with instrumented:
    import zipfile

    from cables.parsing import ParseError, SourceText, parse_cable
    from cables.parsing.archives import ZipLimits, read_zip
    from cables.parsing.readers import read_bytes, read_path

SEED_TEXT = (PROJECT / "seeds" / "08MEXICO2160.txt").read_bytes()
SUFFIXES = (".txt", ".html", ".htm", ".csv", ".zip", ".TXT", ".Zip", ".pdf", "")
# Small caps, so that bombs and big members are refused quickly.
LIMITS = ZipLimits(members=50, total_bytes=2_000_000, member_bytes=500_000, ratio=50)


def checked(items, parse=True, metadata=True) -> list:
    """Exhaust a reader; every item must be a SourceText or a ParseError, and every text
    must parse to a cable or a ParseError."""
    items = list(items)
    for item in items:
        assert isinstance(item, SourceText | ParseError), repr(item)
        if isinstance(item, ParseError):
            assert item.reason and isinstance(item.source, str)
            continue
        assert isinstance(item.text, str) and item.format in ("txt", "html", "csv")
        if parse:
            parse_text(item, metadata)
    return items


def parse_text(item: SourceText, metadata: bool) -> None:
    try:
        parsed = parse_cable(item.text)
        if metadata:
            from cables.writing.cable_data import cable_data  # Django's, so only under pytest

            cable_data(item, parsed)
    except ParseError:
        pass


def zip_of(members, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", compression) as archive:
        warnings.simplefilter("ignore")  # "Duplicate name": wanted here
        for name, content in members:
            archive.writestr(zipfile.ZipInfo(name) if name.endswith("/") else name, content)
    return buffer.getvalue()


def one_input(data: bytes) -> None:
    """The atheris target: the first byte picks the file's suffix, the rest is its bytes."""
    if not data:
        return
    suffix = SUFFIXES[data[0] % len(SUFFIXES)]
    checked(read_bytes(data[1:], f"fuzz{suffix}"), metadata=False)
    if suffix.lower() == ".zip":
        checked(read_zip(data[1:], "fuzz.zip", 0, read_bytes, LIMITS), metadata=False)


def seed_inputs() -> list[bytes]:
    """Inputs for atheris to start from, one per reader."""
    html = b"<table class='cable'><tr><td>08MEXICO2160</td></tr></table><pre>%s</pre>"
    row = b'"1","07/15/2008 21:48","08MEXICO2160","Embassy Mexico","SECRET","","H","%s"\n'
    text = SEED_TEXT.replace(b'"', b'\\"')
    return [
        bytes([SUFFIXES.index(".txt")]) + SEED_TEXT,
        bytes([SUFFIXES.index(".html")]) + html % SEED_TEXT,
        bytes([SUFFIXES.index(".csv")]) + row % text,
        bytes([SUFFIXES.index(".zip")]) + zip_of([("a.txt", SEED_TEXT), ("b/c.csv", row % text)]),
    ]


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


# --- hypothesis ----------------------------------------------------------------------------

import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FUZZ = settings(
    # FUZZ_EXAMPLES=5000 for a longer hunt than make test's.
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", 150)),
    deadline=None,
    database=None,  # nothing written beside the project; failures print their example
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

suffixes = st.sampled_from(SUFFIXES)
# Member names as a hostile zip might carry them: paths out of the folder, absolute,
# backslashes, folders only, unicode, NULs refused by zipfile itself are left out.
member_names = st.one_of(
    st.sampled_from(
        [
            "a.txt",
            "../../etc/passwd.txt",
            "/etc/x.html",
            "C:\\x\\y.csv",
            "dir/",
            "dir/sub/cable.txt",
            "inner.zip",
            "deep/inner.ZIP",
            "no-suffix",
            ".txt",
            "é/ü.HTML",
            "x" * 300 + ".txt",
            "a.txt/",
        ]
    ),
    st.builds(
        lambda stem, suffix: stem + suffix,
        st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40),
        suffixes,
    ),
)
contents = st.one_of(
    st.binary(max_size=3000),
    st.just(SEED_TEXT),
    st.builds(lambda cut: SEED_TEXT[:cut], st.integers(0, len(SEED_TEXT))),
    st.sampled_from([b"", b" \n", b"\x00" * 10, b"PK\x03\x04", "¶1. (C) é".encode("cp1252")]),
)
compressions = st.sampled_from(
    [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]
)


@st.composite
def zips(draw, depth=0) -> bytes:
    """A zip of a few members, some of them zips themselves (up to three levels)."""
    members = []
    for name in draw(st.lists(member_names, max_size=6)):
        if name.lower().endswith(".zip") and depth < 2 and draw(st.booleans()):
            members.append((name, draw(zips(depth + 1))))
        else:
            members.append((name, draw(contents)))
    return zip_of(members, draw(compressions))


LOCAL, CENTRAL = b"PK\x03\x04", b"PK\x01\x02"


def patch_headers(data: bytes, flags: int = 0, method: int | None = None) -> bytes:
    """Set bits of every member's flags, or its compression method, in both headers."""
    data = bytearray(data)
    for signature, offset in ((LOCAL, 6), (CENTRAL, 8)):
        start = data.find(signature)
        while start != -1 and start + offset + 4 <= len(data):
            data[start + offset] |= flags
            if method is not None:
                data[start + offset + 2 : start + offset + 4] = method.to_bytes(2, "little")
            start = data.find(signature, start + 4)
    return bytes(data)


def mangle(data: bytes, how: str, position: int, value: int) -> bytes:
    """A zip damaged in one of the ways a transfer or an attacker would."""
    position = position % max(len(data), 1)
    if how == "truncate":
        return data[:position]
    if how == "flip":
        return data[:position] + bytes([data[position] ^ (value or 1)]) + data[position + 1 :]
    if how == "encrypted":
        return patch_headers(data, flags=0x01)
    if how == "method":  # 99 is AES, which zipfile cannot read; others are unknown
        return patch_headers(data, method=(99, 1, 6, 97, 98, 255)[value % 6])
    if how == "duplicate":  # the central directory twice
        return data + data[data.rfind(CENTRAL) :]
    return data


damage = st.sampled_from(["none", "truncate", "flip", "flip", "encrypted", "method", "duplicate"])


def read_as_everyone_does(data: bytes, name: str, tmp_path: Path) -> None:
    """The bytes read as import_cables reads a file and as an upload is read."""
    from cables.web.uploads import read_stored

    checked(read_bytes(data, name))
    path = tmp_path / (os.path.basename(name.replace("\\", "/")) or "unnamed")
    stored = tmp_path / "0.upload"
    try:
        path.write_bytes(data)
    except OSError:  # a name the file system refuses (too long): the upload's name is a label
        path = tmp_path / "fallback.bin"
        path.write_bytes(data)
    checked(read_path(path))
    stored.write_bytes(data)
    checked(read_stored(stored, name))


@FUZZ
@given(data=st.binary(max_size=4000), suffix=suffixes)
def test_random_bytes_under_any_name_give_cables_or_parse_errors(data, suffix, tmp_path):
    read_as_everyone_does(data, f"upload{suffix}", tmp_path)


@FUZZ
@given(
    pieces=st.lists(
        st.sampled_from(
            [
                "<pre>",
                "</pre>",
                "<PRE class='x'>",
                "<table class='cable'>",
                '<table class="cable">',
                "</table>",
                "<td>",
                "</td>",
                "<a href='/tag/PREL'>",
                "</a>",
                "&amp;",
                "&#0;",
                "&#x110000;",
                "&bogus;",
                "2008-07-15 12:12",
                "99/99/9999 99:99",
                "08MEXICO2160",
                "SECRET",
                "\n",
                "¶1. ",
            ]
        )
        | st.text(max_size=30),
        max_size=60,
    )
)
def test_html_shaped_noise_gives_cables_or_parse_errors(pieces):
    checked(read_bytes("".join(pieces).encode("utf-8", "surrogatepass"), "page.html"))


@FUZZ
@given(
    rows=st.lists(
        st.lists(
            st.one_of(
                st.text(max_size=40),
                st.sampled_from(
                    ['\\"', "\\", '"', "\n", ",", "07/15/2008 21:48", "13/45/2008 99:99"]
                ),
                st.just(SEED_TEXT.decode()),
            ),
            min_size=0,
            max_size=10,
        ),
        max_size=5,
    ),
    quote=st.booleans(),
)
def test_csv_shaped_noise_gives_cables_or_parse_errors(rows, quote, tmp_path):
    def field(value: str) -> str:
        return '"' + value.replace('"', '\\"') + '"' if quote else value

    text = "".join(",".join(map(field, row)) + "\n" for row in rows)
    read_as_everyone_does(text.encode("utf-8", "surrogatepass"), "cables.csv", tmp_path)


@FUZZ
@given(data=zips(), how=damage, position=st.integers(0, 10**6), value=st.integers(0, 255))
def test_built_and_damaged_zips_give_cables_or_parse_errors(data, how, position, value, tmp_path):
    damaged = mangle(data, how, position, value)
    read_as_everyone_does(damaged, "upload.zip", tmp_path)
    checked(read_zip(damaged, "upload.zip", 0, read_bytes, LIMITS))


# --- crashes found, kept as regression tests -------------------------------------------------


def test_regression_a_corrupt_lzma_member_is_named_not_raised():
    """Found by hypothesis: lzma.LZMAError escaped the zip reader. The zip it built (an
    empty LZMA member), with byte 44, in the compressed stream, flipped."""
    built = (
        b"PK\x03\x04?\x00\x02\x00\x0e\x006*|]\x00\x00\x00\x00\x13\x00\x00\x00\x00\x00"
        b"\x00\x00\x05\x00\x00\x00a.txt\t\x04\x05\x00]\x00\x00\x80\x00\x00\x82\xff\xfb"
        b"\xff\xff\xc0\x00\x00\x00PK\x01\x02?\x03?\x00\x02\x00\x0e\x006*|]\x00\x00\x00"
        b"\x00\x13\x00\x00\x00\x00\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00\x00\x00"
        b"\x00\x00\x80\x01\x00\x00\x00\x00a.txtPK\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00"
        b"3\x00\x00\x006\x00\x00\x00\x00\x00"
    )
    [item] = checked(read_bytes(mangle(built, "flip", 44, 0), "upload.zip"))
    assert isinstance(item, ParseError)
    assert item.source == "upload.zip:a.txt"
    assert item.reason.startswith("unreadable zip member: Corrupt input data")


def test_regression_a_zip_whose_start_was_cut_off_is_named_not_raised():
    """Found by atheris: the member offsets of a zip missing its first bytes point before
    the file's start, and zipfile's negative seek raised ValueError."""
    data = zip_of([("a.txt", SEED_TEXT)])[100:]
    [item] = checked(read_bytes(data, "upload.zip"))
    assert isinstance(item, ParseError)
    assert item.reason == "unreadable zip member: negative seek value -100"


def test_regression_a_zip_needing_an_unknown_version_is_named_not_raised():
    """Found by atheris: zipfile refuses a central directory that claims to need version
    22.9 with NotImplementedError, which escaped the zip reader."""
    data = bytearray(zip_of([("a.txt", SEED_TEXT)]))
    central = data.find(CENTRAL)
    data[central + 6 : central + 8] = (229).to_bytes(2, "little")  # version needed
    [item] = checked(read_bytes(bytes(data), "upload.zip"))
    assert isinstance(item, ParseError)
    assert item.reason == "not a readable zip: zip file version 22.9"


# --- atheris -------------------------------------------------------------------------------


def test_atheris_finds_no_crash(tmp_path):
    """Ten seconds of coverage-guided fuzzing, from seeds of each kind of file."""
    pytest.importorskip("atheris", reason="atheris is not installed (pip install atheris)")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (tmp_path / "found").mkdir()
    for number, data in enumerate(seed_inputs()):
        (seeds / f"seed{number}").write_bytes(data)
    result = subprocess.run(
        [
            sys.executable,
            __file__,
            "-max_total_time=10",
            "-runs=500000",
            "-rss_limit_mb=1024",
            "-timeout=10",
            f"-artifact_prefix={tmp_path}/",
            str(tmp_path / "found"),  # libFuzzer adds what it finds to the first folder
            str(seeds),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    crashes = sorted(path.name for path in tmp_path.glob("crash-*"))
    assert result.returncode == 0 and not crashes, (crashes, result.stderr[-3000:])
