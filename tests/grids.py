"""What tests read off a Grid: its texts, its merges, the one grid of a file."""

from __future__ import annotations

from builder.readers import Grid


def texts(grid: Grid) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in grid.rows]


def merges(grid: Grid) -> dict[tuple[int, int], tuple[int, int]]:
    return {
        (r, c): cell.merged_from
        for r, row in enumerate(grid.rows)
        for c, cell in enumerate(row.cells)
        if cell.merged_from is not None
    }


def only(grids: list[Grid]) -> Grid:
    assert len(grids) == 1
    return grids[0]
