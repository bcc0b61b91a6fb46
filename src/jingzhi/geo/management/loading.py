"""What the file-loading commands share: run a loader, turn an unusable file into a command error."""
from collections.abc import Callable
from pathlib import Path

from django.core.management.base import CommandError
from tqdm import tqdm


def file_load(loader: Callable[..., dict[str, int]], *, path: str, coord_system: str, label: str) -> str:
    """Run ``loader`` on the file; the summary line of its counts, or CommandError naming the file."""
    try:
        counts = loader(path=Path(path), coord_system=coord_system, progress=tqdm)
    except (OSError, ValueError) as error:
        raise CommandError(f"{path}: {error}") from None
    return f"{label}: " + ", ".join(f"{count} {key}" for key, count in counts.items())
