"""Reading zips without trusting them: the caps count bytes actually read."""

import io
import zipfile

from cables.parsing import ParseError
from cables.parsing.archives import ZipLimits, read_zip
from cables.parsing.readers import read_bytes


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def text(size: int, seed: int) -> bytes:
    """Text that compresses like prose, not like a bomb."""
    words = [f"word{(seed * 7919 + n * 104729) % 100003}" for n in range(size // 6)]
    return " ".join(words).encode()[:size]


def read(data: bytes, limits: ZipLimits) -> list:
    return list(read_zip(data, "up.zip", 0, read_bytes, limits))


def test_zips_inside_a_zip_share_the_outer_zips_budget():
    inner = [zip_bytes({f"{n}.txt": text(20_000, n)}) for n in range(3)]
    outer = zip_bytes({f"inner{n}.zip": data for n, data in enumerate(inner)})
    items = read(outer, ZipLimits(total_bytes=50_000))
    errors = [item for item in items if isinstance(item, ParseError)]
    assert len(errors) == 1 and "more than 50000 bytes uncompressed in all" in errors[0].reason
    # Each inner zip alone is under the cap: only sharing one budget stops the third.
    assert len(items) < 4


def test_a_zip_bigger_than_its_own_size_times_the_ratio_is_stopped():
    members = {f"{n}.txt": b"A" * 3_000 for n in range(50)}
    items = read(zip_bytes(members), ZipLimits(ratio=20))
    refused = [item for item in items if isinstance(item, ParseError)]
    assert refused and all("refused as a zip bomb" in item.reason for item in refused)


def test_member_names_are_only_labels():
    items = read(zip_bytes({"../../etc/cron.d/x.txt": b"hello"}), ZipLimits())
    assert [item.name for item in items] == ["up.zip:../../etc/cron.d/x.txt"]
