"""Building the serving benchmark's database (``bench/serve_benchmark.py``): ``migrate``,
``generate_cables --format csv`` and ``import_cables --bulk --workers 2`` into an SQLite
file, reused by later runs of the same size and seed (a sidecar JSON says what was built).
Without the generator, the real corpus is imported instead, and the result says so."""

import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("CABLE_CORPUS", PROJECT.parent / "shared" / "corpus"))


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def django_env(path: Path, secret_key: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "DEBUG")}
    # Every page is built for every request: the page cache is off, but in the runs
    # that measure it (cached_mixed, readers_spread).
    env.update(
        SECRET_KEY=secret_key, SQLITE_PATH=str(path), LOG_LEVEL="WARNING", PAGE_CACHE_SECONDS="0"
    )
    return env


def build(path: Path, count: int, seed: str, secret_key: str) -> dict:
    """Build (or reuse) a database of ``count`` synthetic cables; returns what was done."""
    sidecar = path.with_name(path.name + ".build.json")
    if path.exists() and sidecar.exists():
        done = json.loads(sidecar.read_text())
        if done.get("count") == count and done.get("seed") == seed and done.get("complete"):
            print(f"Reusing {path} ({count:,} cables, seed {seed}, built {done['built_at']}).")
            return {**done, "reused": True}
    for stale in (path, sidecar, *path.parent.glob(path.name + "-*")):
        stale.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    env = django_env(path, secret_key)
    steps, source = {}, "generate_cables"
    started = time.monotonic()
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    steps["migrate_s"] = round(time.monotonic() - started, 1)
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as folder:
        started = time.monotonic()
        generator = (PROJECT / "cables" / "generating" / "__init__.py").exists()
        try:
            if not generator:
                raise FileNotFoundError("cables/generating/__init__.py")
            print(f"Generating {count:,} synthetic cables (seed {seed}) …", flush=True)
            manage(
                env, "generate_cables", "--count", str(count), "--seed", seed,
                "--out", folder, "--format", "csv",
            )  # fmt: skip
            sources = [str(Path(folder) / "cables.csv")]
        except (FileNotFoundError, subprocess.CalledProcessError) as error:
            source = f"the real corpus ({CORPUS}), since generate_cables failed: {error}"
            print(f"NOTE: importing {source}", flush=True)
            sources = [str(CORPUS)]
        steps["generate_s"] = round(time.monotonic() - started, 1)
        started = time.monotonic()
        print(f"Importing into {path} …", flush=True)
        line = manage(
            env, "import_cables", "--no-progress", "--bulk", "--workers", "2", *sources,
            capture=True,
        )  # fmt: skip
        print(line.strip().splitlines()[-1] if line.strip() else "", flush=True)
        steps["import_s"] = round(time.monotonic() - started, 1)
        steps["import_summary"] = line.strip().splitlines()[-1] if line.strip() else ""
    done = {
        "count": count,
        "seed": seed,
        "source": source,
        "built_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "steps": steps,
        "complete": True,
    }
    sidecar.write_text(json.dumps(done, indent=2))
    return {**done, "reused": False}
