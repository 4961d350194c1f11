"""``status --format table``: the matrix for a terminal of 80 columns.

Per model, one line of versions (one column per environment, in promotion
order) and one line of serving kind and rollout strategy; with ``--live`` a
line of health, split into one line per cluster where the clusters disagree.
Environments that do not fit beside each other continue in a second block
below, with the model names repeated, so no line is ever wider than the
terminal. Colour only when asked (a terminal without NO_COLOR): the words
carry the meaning, the colour only helps the eye.
"""
from __future__ import annotations

from .matrix import AHEAD, BEHIND, DIFFERS, NOT_READY, READY, UNKNOWN, Cell, Matrix

WIDTH = 80
GAP = 2
MODEL_MAX = 24  # longer model names get a line of their own
MIN_COLUMN = 15  # below this, environments move to another block instead of shrinking further

_RESET, _BOLD, _DIM = "\033[0m", "\033[1m", "\033[2m"
_COLOURS = {BEHIND: "\033[33m", AHEAD: "\033[36m", DIFFERS: "\033[35m",
            READY: "\033[32m", NOT_READY: "\033[31m", UNKNOWN: "\033[33m"}
_HEALTH_WORDS = {READY: "ready", NOT_READY: "not ready", UNKNOWN: "unknown"}


class Markers:
    def __init__(self, unicode: bool):
        marks = ("←", "↑", "≠", "…") if unicode else ("<-", "^", "!=", "~")
        self.behind, self.ahead, self.differs, self.cut = marks


def render_table(matrix: Matrix, colour: bool = False, unicode: bool = True, width: int = WIDTH) -> str:
    marks = Markers(unicode)
    if not matrix.cells:
        return "no releases match\n"
    model_width = min(max(len("MODEL"), *(len(m) for m in matrix.models)), MODEL_MAX)
    texts = {key: _cell_lines(cell, marks) for key, cell in matrix.cells.items()}
    natural = {}
    for env in matrix.environments:
        lines = [line for m in matrix.models for line, _ in texts.get((m, env.name), [("-", None)])]
        natural[env.name] = max(len(env.name), *(len(line) for line in lines))
    out: list[str] = []
    for block in _blocks([e.name for e in matrix.environments], natural, width - model_width):
        if out:
            out.append("")
        out.extend(_block_lines(matrix, block, texts, model_width, colour, marks))
    out.append("")
    out.append(_legend(matrix, marks))
    return "\n".join(out) + "\n"


def _blocks(names: list[str], natural: dict[str, int], room: int) -> list[list[tuple[str, int]]]:
    """Environments per block with their column widths: as many as fit at their narrowest.

    A column may shrink to MIN_COLUMN (cutting long cells), never below its header: an
    environment's name is always shown whole (up to the room there is).
    """
    def narrowest(name: str) -> int:
        return min(max(MIN_COLUMN, len(name)), natural[name], room - GAP)

    blocks: list[list[str]] = [[]]
    for name in names:
        block = blocks[-1]
        if block and sum(narrowest(n) + GAP for n in block) + narrowest(name) + GAP > room:
            blocks.append([name])
        else:
            block.append(name)
    sized = []
    for block in blocks:
        widths = {name: natural[name] for name in block}
        # Shrink the widest columns first until the block fits: short columns stay whole.
        while sum(w + GAP for w in widths.values()) > room:
            widest = max((n for n in widths if widths[n] > narrowest(n)), key=lambda n: widths[n])
            widths[widest] -= 1
        sized.append([(name, widths[name]) for name in block])
    return sized


def _block_lines(matrix: Matrix, block: list[tuple[str, int]], texts, model_width: int, colour: bool,
                 marks: Markers) -> list[str]:
    def paint(text: str, style: str | None) -> str:
        return f"{style}{text}{_RESET}" if colour and style else text

    header = "MODEL".ljust(model_width) + "".join(" " * GAP + _fit(name, w, marks).ljust(w) for name, w in block)
    lines = [paint(header.rstrip(), _BOLD)]
    for model in matrix.models:
        cells = [texts.get((model, name), [("-", None)]) for name, _ in block]
        height = max(len(c) for c in cells)
        label = model
        if len(model) > model_width:
            lines.append(model)
            label = ""
        for row in range(height):
            parts = [(label if row == 0 else "").ljust(model_width)]
            for (_name, w), cell in zip(block, cells, strict=False):
                text, style = cell[row] if row < len(cell) else ("", None)
                text = _fit(text, w, marks)
                parts.append(" " * GAP + paint(text, style) + " " * (w - len(text)))
            lines.append("".join(parts).rstrip())
    return lines


def _fit(text: str, width: int, marks: Markers) -> str:
    return text if len(text) <= width else text[: max(width - len(marks.cut), 0)] + marks.cut


def _cell_lines(cell: Cell, marks: Markers) -> list[tuple[str, str | None]]:
    """(text, style) lines of one cell: version, serving and strategy, then health if known."""
    version: tuple[str, str | None]
    if cell.relation == BEHIND:
        version = (f"{cell.version} {marks.behind} {cell.previous_version}", _COLOURS[BEHIND])
    elif cell.relation == AHEAD:
        version = (f"{cell.version} {marks.ahead}", _COLOURS[AHEAD])
    elif cell.relation == DIFFERS:
        version = (f"{cell.version} {marks.differs} {cell.previous_version}", _COLOURS[DIFFERS])
    else:
        version = (cell.version, None)
    lines: list[tuple[str, str | None]] = [version, (f"{cell.serving} {cell.strategy}", _DIM)]
    healths = [p.health for p in cell.placements]
    if any(h is not None for h in healths):
        states = {h.state if h else UNKNOWN for h in healths}
        if len(states) == 1:
            state = states.pop()
            count = f" {len(healths)}/{len(healths)}" if len(healths) > 1 else ""
            lines.append((_HEALTH_WORDS[state] + count, _COLOURS[state]))
        else:
            for p in cell.placements:
                state = p.health.state if p.health else UNKNOWN
                lines.append((f"{p.cluster} {_HEALTH_WORDS[state]}", _COLOURS[state]))
    return lines


def _legend(matrix: Matrix, marks: Markers) -> str:
    pending = len(matrix.pending)
    count = f"{pending} pending promotion{'s' if pending != 1 else ''}"
    return (f"{count}\n{marks.behind} V: V runs in the previous stage  {marks.ahead} ahead of it  "
            f"{marks.differs} not comparable")
