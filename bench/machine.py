"""What the benchmark ran on: the figures only compare within one run, but a reader
needs to know the machine, the versions and the event loop."""

from __future__ import annotations

import os
import platform
from importlib import metadata

from SMTPLibrary.core.smtp.loop import event_loop_kind


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def describe() -> dict[str, str]:
    return {
        "CPU": _cpu(),
        "cores": str(os.cpu_count()),
        "OS": f"{platform.system()} {platform.release()}",
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "aiosmtpd": _version("aiosmtpd"),
        "uvloop": _version("uvloop"),
        "Robot Framework": _version("robotframework"),
        "SMTPLibrary's default event loop here": event_loop_kind(),
        "load average (1, 5, 15 min) at the start": ", ".join(f"{load:.2f}" for load in os.getloadavg()),
    }
