"""Batch export throughput and memory: 50 "videos" of ~20 MB, side by side with `zip -0`.

The issue asks for a worker peak memory under 150 MB and at least 0.7× the throughput of
`zip -0` on the same files. Run with
``pytest tests/perf/bench_export.py -s -p no:cacheprovider --override-ini="addopts="``.
The export (services.zips.write_zip + store_zip: the ZIP written to a scratch file and
saved to storage) runs in a fresh child Python so its peak RSS (VmHWM) is its own. Prints
seconds, MB/s, the ratio to `zip -0` and the peak RSS; the memory bound is asserted, the
speed ratio only printed (shared machines vary).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

FILES, FILE_MB = 50, 20
MB = 1024 * 1024

CHILD = r"""
import json, os, sys, time
import django
django.setup()
from videos.services import zips

entries = json.loads(sys.argv[1])
started = time.perf_counter()
handle = zips.open_scratch()
try:
    zips.write_zip([tuple(e) for e in entries], handle)
    size = handle.tell()
    key = zips.store_zip(handle, workspace_id=1)
finally:
    handle.close()
    if os.path.exists(handle.name):
        os.unlink(handle.name)
seconds = time.perf_counter() - started
hwm = 0
with open("/proc/self/status") as status:
    for line in status:
        if line.startswith("VmHWM:"):
            hwm = int(line.split()[1]) * 1024
if not hwm:
    import resource
    hwm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "size": size, "key": key, "peak_rss": hwm}))
"""


def _zip_binary() -> str:
    found = shutil.which("zip")
    if found:
        return found
    if shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "zip"], capture_output=True, timeout=300, check=False
        )
        found = shutil.which("zip")
    if not found:
        pytest.skip("`zip` is not installed and could not be installed (apt-get install zip)")
    return found


def _make_sources(media: Path) -> list[tuple[str, str]]:
    entries = []
    block = os.urandom(MB)  # random-ish: one random MB, varied per chunk
    for n in range(FILES):
        key = f"workspaces/1/renders/2025/bench-{n:02d}.mp4"
        path = media / key
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:
            for chunk in range(FILE_MB):
                handle.write(os.urandom(64) + block[64 + chunk :] + block[64 : 64 + chunk])
        entries.append((f"bench-video-{n:02d}.mp4", key))
    return entries


def _child_env(media: Path) -> dict:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "videocreator.settings")
    env.setdefault("SECRET_KEY", "bench-" + "x" * 50)
    env["MEDIA_ROOT"] = str(media)
    env.pop("AWS_STORAGE_BUCKET_NAME", None)  # local disk, like zip -0
    return env


def _run_export(media: Path, entries) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(entries)],
        capture_output=True,
        text=True,
        env=_child_env(media),
        timeout=900,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _run_zip(zip_bin: str, media: Path, entries, out_dir: Path) -> float:
    target = out_dir / "reference.zip"
    target.unlink(missing_ok=True)
    started = time.perf_counter()
    subprocess.run(
        [zip_bin, "-0", "-q", str(target), *[key for _name, key in entries]],
        cwd=media,
        check=True,
        timeout=900,
    )
    return time.perf_counter() - started


def test_bench_export(tmp_path):
    zip_bin = _zip_binary()
    media = tmp_path / "media"
    out_dir = tmp_path / "zip-out"
    out_dir.mkdir()
    entries = _make_sources(media)
    total = sum((media / key).stat().st_size for _name, key in entries)

    zip_times, export_runs = [], []
    for _round in range(2):  # alternate, best of two each: same page cache for both
        zip_times.append(_run_zip(zip_bin, media, entries, out_dir))
        run = _run_export(media, entries)
        export_runs.append(run)
        exported = media / run["key"]
        if _round == 0:
            with zipfile.ZipFile(exported) as zf:
                infos = zf.infolist()
                assert [i.filename for i in infos] == [name for name, _key in entries]
                assert all(i.compress_type == zipfile.ZIP_STORED for i in infos)
                assert sum(i.file_size for i in infos) == total
        exported.unlink()

    zip_seconds = min(zip_times)
    best = min(export_runs, key=lambda r: r["seconds"])
    peak_mb = max(r["peak_rss"] for r in export_runs) / MB
    ratio = zip_seconds / best["seconds"]
    print(
        f"\nbatch export of {FILES} files, {total / MB:.0f} MB in all:"
        f"\n  export (child):  {best['seconds']:.2f} s  {total / MB / best['seconds']:.0f} MB/s"
        f"  peak RSS {peak_mb:.1f} MB"
        f"\n  zip -0:          {zip_seconds:.2f} s  {total / MB / zip_seconds:.0f} MB/s"
        f"\n  throughput ratio export / zip -0: {ratio:.2f}× (wanted ≥ 0.7×)"
        f"\n  all runs: export {[round(r['seconds'], 2) for r in export_runs]} s,"
        f" zip -0 {[round(t, 2) for t in zip_times]} s"
    )
    assert peak_mb < 150, f"peak RSS {peak_mb:.1f} MB"
