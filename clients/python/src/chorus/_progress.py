"""A one-line progress bar for a terminal, standard library only."""

from __future__ import annotations

from typing import IO

from .models import StudyInfo


class Progress:
    """Redraws one line: ``study 3 [#######.......] 12/40 trials  best Δm +2.1 %  running``."""

    WIDTH = 30

    def __init__(self, out: IO[str]):
        self.out = out
        self._drawn = False

    def show(self, info: StudyInfo) -> None:
        total = max(1, info.max_trials)
        done = min(info.finished_trials, total)
        filled = round(self.WIDTH * done / total)
        best = "" if info.best_delta_m is None else f"  best Δm {info.best_delta_m:+.1f} %"
        line = (f"study {info.id} [{'#' * filled}{'.' * (self.WIDTH - filled)}] "
                f"{info.finished_trials}/{info.max_trials} trials{best}  {info.state}")
        self.out.write("\r" + line + "\x1b[K")
        self.out.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.out.write("\n")
            self.out.flush()
