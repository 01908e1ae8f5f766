"""One memory measurement, run in a fresh process by the memory section.

``python -m benchmarks.memory_probe MODEL COUNT MODE [DIR]`` prepares COUNT images of
``fluxq.MAX_IMAGE_BYTES`` each (MODE ``bytes``: in memory; ``base64``: as base64 strings in
memory; ``path``: the files already written in DIR; ``control``: bytes, sent to a transport
that keeps the body, to show the probe sees memory held), then submits them once through
``fluxq.AsyncClient`` to a transport that reads and discards the body. A small submit without
images comes first, so imports and set-up are not counted. It prints one JSON line: the RSS just
before the measured submit, the peak RSS (``getrusage``) before and after it, the peak of an RSS
sampled every millisecond during it, and the bytes sent.
"""

from __future__ import annotations

import asyncio
import base64
import gc
import json
import os
import resource
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

import fluxq

IMAGE_FIELDS = {"flux_kontext_pro": "input_image", "flux_2_pro": "input_image"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
REQUEST_ID = "mmsu_" + "0" * 26
BASE_URL = "http://discard.invalid/model"


def field_names(count: int) -> list[str]:
    """``input_image``, ``input_image_2``, ... for ``count`` images."""
    return ["input_image"] + [f"input_image_{n}" for n in range(2, count + 1)]


def image_bytes(size: int) -> bytes:
    """Incompressible bytes that start like a PNG file."""
    return PNG_SIGNATURE + os.urandom(size - len(PNG_SIGNATURE))


def image_files(directory: Path, count: int) -> list[Path]:
    """The image files of a ``path`` measurement (written by the parent process)."""
    return [directory / f"image_{n}.png" for n in range(count)]


class DiscardingTransport(httpx.AsyncBaseTransport):
    """Reads each request body chunk by chunk, keeps nothing, and answers like a submit.

    Args:
        keep: Keep every chunk instead (the control run: shows that the probe sees a body held
            in memory).
    """

    def __init__(self, keep: bool = False) -> None:
        self.received = 0
        self.keep = keep
        self.kept: list[bytes] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Consume the body, then answer with a valid submission."""
        stream: Any = request.stream
        async for chunk in stream:
            self.received += len(chunk)
            if self.keep:
                self.kept.append(bytes(chunk))
        model = request.url.path.rstrip("/").rsplit("/", 1)[-1]
        task = f"{BASE_URL}/v1/queue/{model}/requests/{REQUEST_ID}"
        body = {
            "request_id": REQUEST_ID,
            "response_url": f"{task}/response",
            "status_url": f"{task}/status",
            "cancel_url": f"{task}/cancel",
            "queue_position": 0,
        }
        return httpx.Response(200, json=body)


SAMPLE_EVERY_S = 0.001


def peak_rss_bytes() -> int:
    """The process's peak RSS so far, as the kernel records it (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def current_rss_bytes() -> int:
    """The process's RSS now (Linux ``/proc/self/statm``: resident pages, second field)."""
    resident_pages = int(Path("/proc/self/statm").read_text().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE")


class RssSampler:
    """Samples the RSS every millisecond in a thread; the kernel's peak is updated lazily."""

    def __init__(self) -> None:
        self.peak = current_rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, current_rss_bytes())
            time.sleep(SAMPLE_EVERY_S)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, current_rss_bytes())


async def measure_submit(model: fluxq.ModelId, images: dict[str, Any], keep: bool) -> dict[str, int]:
    """Warm up with a small submit, then submit the images once; return RSS figures and bytes sent."""
    transport = DiscardingTransport(keep)
    async with fluxq.AsyncClient(api_key="memory-probe", base_url=BASE_URL, transport=transport) as client:
        await client.submit(model, prompt="warm-up")
        gc.collect()
        before_rss = current_rss_bytes()
        before_peak = peak_rss_bytes()
        sent_before = transport.received
        with RssSampler() as sampler:
            await client.submit(model, prompt="memory probe", **images)
        after_peak = peak_rss_bytes()
    return {
        "before_rss": before_rss,
        "before_peak": before_peak,
        "after_peak": after_peak,
        "sampled_peak": sampler.peak,
        "received": transport.received - sent_before,
    }


def main(argv: list[str]) -> int:
    """Measure one submission and print the figures as JSON."""
    model, count, mode = fluxq.model_id(argv[0]), int(argv[1]), argv[2]
    names = field_names(count)
    size = fluxq.MAX_IMAGE_BYTES
    images: dict[str, Any]
    if mode == "path":
        images = dict(zip(names, image_files(Path(argv[3]), count), strict=True))
    elif mode in ("bytes", "control"):
        images = {name: image_bytes(size) for name in names}
    else:
        images = {name: base64.b64encode(image_bytes(size)).decode("ascii") for name in names}
    result = asyncio.run(measure_submit(model, images, keep=mode == "control"))
    print(json.dumps({**result, "image_bytes": size * count}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
