"""Disclosure control for published count tables: primary and secondary cell suppression.

A table of counts is published with its margins: a ``Total`` column (row totals), a ``Total`` row
(column totals) and the grand total in the corner. Each row and each column, margins included, is
an equation (the cells add up to the total), so a hidden cell can be worked back from what is shown.

- **Primary suppression**: every position (cell or total) counting ``0 < n < threshold`` is hidden.
  Zeros are published: "no report of this kind" is not about anyone, and hiding every zero would
  hide most of a sparse table for nothing.
- **Secondary suppression**: more positions are hidden until no hidden value can be recovered from
  the row and column equations. Rows and columns are the two sides of a bipartite graph and each
  hidden position is an edge between its row and its column; a hidden value is determined by the
  equations exactly when its edge is a *bridge* of that graph (lies on no cycle). So, repeated to a
  fixed point: a row or column with exactly one hidden position gets a second one, the smallest
  non-zero value still shown on that line (a total is a candidate like any cell; it is the largest,
  so it is taken only when nothing smaller is left); and a hidden edge that is still a bridge gets a
  complementary position that closes a cycle through it, again the smallest non-zero one. Zeros are
  used as complements only when nothing else would do (a hidden zero bounds its partner from above).
- **Linked tables**: a value shown in several tables (the number of reports in a year) must be
  hidden in all of them or in none; :func:`protect` takes ``forced`` positions for that.

The choice is greedy (smallest first), not the optimal solution of an integer programme; it never
leaves a recoverable value, which :func:`determined_positions` checks independently by linear
algebra. Hidden values are all shown with one marker, so a reader cannot tell a small primary cell
from its complements.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.errors import MugsError

DEFAULT_THRESHOLD = 5
"""Counts from 1 to 4 are hidden by default."""

TOTAL = "Total"
"""Label of the margin row and column."""

SUPPRESSED_MARKER = "[c]"
"""How a hidden value is written in an export (the ONS convention for "confidential")."""

Position = tuple[int, int]


class DisclosureError(MugsError):
    """A table cannot be protected (bad threshold, negative or non-integer counts, bad labels)."""


@dataclass(frozen=True)
class ProtectedTable:
    """A count table with its margins and which positions are hidden (primary or secondary)."""

    counts: pd.DataFrame
    suppressed: pd.DataFrame
    primary: pd.DataFrame
    threshold: int

    def published(self, marker: str = SUPPRESSED_MARKER) -> pd.DataFrame:
        """The table as it may be shown: hidden values replaced by *marker*, the rest as text."""
        return self.counts.astype(str).mask(self.suppressed, marker)

    def is_hidden(self, row: object, column: object) -> bool:
        """Whether the value at (*row*, *column*) is hidden."""
        return bool(self.suppressed.loc[row, column])

    def value(self, row: object, column: object) -> int | None:
        """The value at (*row*, *column*), or None when it is hidden."""
        if self.is_hidden(row, column):
            return None
        return int(self.counts.loc[row, column])


def with_margins(counts: pd.DataFrame) -> pd.DataFrame:
    """*counts* with a ``Total`` column of row sums and a ``Total`` row of column sums."""
    if TOTAL in counts.index or TOTAL in counts.columns:
        raise DisclosureError(f"a row or column is already labelled '{TOTAL}'")
    framed = counts.assign(**{TOTAL: counts.sum(axis=1)})
    framed.loc[TOTAL] = framed.sum(axis=0)
    return framed.astype("int64")


def protect(
    counts: pd.DataFrame,
    threshold: int = DEFAULT_THRESHOLD,
    *,
    forced: Iterable[tuple[object, object]] = (),
) -> ProtectedTable:
    """Add margins to *counts* (no margins yet) and hide small values and their complements."""
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise DisclosureError(f"threshold must be a whole number of at least 1, not {threshold!r}")
    _check_counts(counts)
    framed = with_margins(counts)
    values = framed.to_numpy()
    primary = (values > 0) & (values < threshold)
    hidden = primary.copy()
    for row, column in forced:
        hidden[framed.index.get_loc(row), framed.columns.get_loc(column)] = True
    _secondary(values, hidden)
    return ProtectedTable(
        counts=framed,
        suppressed=pd.DataFrame(hidden, index=framed.index, columns=framed.columns),
        primary=pd.DataFrame(primary, index=framed.index, columns=framed.columns),
        threshold=threshold,
    )


def _check_counts(counts: pd.DataFrame) -> None:
    if counts.shape[0] == 0 or counts.shape[1] == 0:
        raise DisclosureError(f"a table needs at least one row and one column, not {counts.shape}")
    if not all(pd.api.types.is_integer_dtype(dtype) for dtype in counts.dtypes):
        raise DisclosureError("counts must be whole numbers (integer columns)")
    if (counts.to_numpy() < 0).any():
        raise DisclosureError("counts must not be negative")


def _secondary(values: np.ndarray, hidden: np.ndarray) -> None:
    """Hide complementary positions in place until no hidden value is determined."""
    while True:
        if _close_single_lines(values, hidden):
            continue
        bridge = _first_bridge(hidden)
        if bridge is None:
            return
        hidden[_cycle_complement(values, hidden, bridge)] = True


def _lines(shape: tuple[int, int]) -> list[list[Position]]:
    rows, columns = shape
    by_row = [[(i, j) for j in range(columns)] for i in range(rows)]
    by_column = [[(i, j) for i in range(rows)] for j in range(columns)]
    return by_row + by_column


def _close_single_lines(values: np.ndarray, hidden: np.ndarray) -> bool:
    """Give every line with exactly one hidden position a second one; True if anything changed."""
    changed = False
    for line in _lines(values.shape):
        if sum(hidden[position] for position in line) != 1:
            continue
        candidates = [position for position in line if not hidden[position]]
        hidden[_smallest(values, candidates)] = True
        changed = True
    return changed


def _smallest(values: np.ndarray, candidates: list[Position]) -> Position:
    """The smallest non-zero candidate (zeros only if nothing else); ties by position."""
    if not candidates:
        raise DisclosureError("no value is left to hide as a complement")
    return min(candidates, key=lambda position: (values[position] == 0, values[position], position))


def _adjacency(hidden: np.ndarray) -> dict[tuple[str, int], list[tuple[str, int]]]:
    graph: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for i, j in zip(*np.nonzero(hidden), strict=True):
        graph.setdefault(("r", int(i)), []).append(("c", int(j)))
        graph.setdefault(("c", int(j)), []).append(("r", int(i)))
    return graph


def _component(
    graph: dict[tuple[str, int], list[tuple[str, int]]],
    start: tuple[str, int],
    without: Position,
) -> set[tuple[str, int]]:
    """Nodes reachable from *start* when the edge *without* is left out."""
    seen = {start}
    frontier = [start]
    while frontier:
        node = frontier.pop()
        for neighbour in graph.get(node, []):
            edge = (node[1], neighbour[1]) if node[0] == "r" else (neighbour[1], node[1])
            if edge == without or neighbour in seen:
                continue
            seen.add(neighbour)
            frontier.append(neighbour)
    return seen


def _first_bridge(hidden: np.ndarray) -> Position | None:
    """The first hidden position (row-major) that lies on no cycle of hidden positions."""
    graph = _adjacency(hidden)
    for i, j in zip(*np.nonzero(hidden), strict=True):
        edge = (int(i), int(j))
        if ("c", edge[1]) not in _component(graph, ("r", edge[0]), without=edge):
            return edge
    return None


def _cycle_complement(values: np.ndarray, hidden: np.ndarray, bridge: Position) -> Position:
    """The smallest shown position whose hiding puts *bridge* on a cycle."""
    graph = _adjacency(hidden)
    row_side = _component(graph, ("r", bridge[0]), without=bridge)
    column_side = _component(graph, ("c", bridge[1]), without=bridge)
    candidates = [
        (i, j)
        for kind_i, i in column_side
        if kind_i == "r"
        for kind_j, j in row_side
        if kind_j == "c" and not hidden[i, j]
    ]
    return _smallest(values, sorted(candidates))


def determined_positions(table: ProtectedTable) -> list[tuple[object, object]]:
    """Hidden positions that the row and column equations pin down, found by linear algebra."""
    values = table.counts.to_numpy()
    hidden = table.suppressed.to_numpy()
    unknowns = [(int(i), int(j)) for i, j in zip(*np.nonzero(hidden), strict=True)]
    if not unknowns:
        return []
    # A hidden value is undetermined exactly when some solution of the homogeneous system moves it.
    system = _equations(values.shape, unknowns)
    _, singular, vt = np.linalg.svd(system)
    rank = int((singular > 1e-9).sum())
    null_space = vt[rank:]
    return [
        (table.counts.index[i], table.counts.columns[j])
        for column, (i, j) in enumerate(unknowns)
        if null_space.shape[0] == 0 or np.abs(null_space[:, column]).max() < 1e-9
    ]


def _equations(shape: tuple[int, int], unknowns: list[Position]) -> np.ndarray:
    """Coefficients of the unknowns in every row and column equation of a table with margins."""
    rows, columns = shape
    system = np.zeros((rows + columns, len(unknowns)))
    for column, (i, j) in enumerate(unknowns):
        # Row i: cells minus the row total; column j: cells minus the column total.
        system[i, column] = -1.0 if j == columns - 1 else 1.0
        system[rows + j, column] = -1.0 if i == rows - 1 else 1.0
    return system
