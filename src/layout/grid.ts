/** Placing cells with row and column spans on a grid, as HTML tables do. */

export interface SpanCell {
  text: string;
  rowSpan: number;
  colSpan: number;
  header?: boolean;
}

export interface PlacedCell extends SpanCell {
  row: number;
  col: number;
}

/**
 * Rows of cells as written (each row lists only the cells that start in it) → cells with their
 * grid positions. Spans are clipped to the table, so a bad rowspan cannot grow it.
 */
export function buildGrid(rows: SpanCell[][]): { cells: PlacedCell[]; rows: number; cols: number } {
  const taken: boolean[][] = rows.map(() => []);
  const cells: PlacedCell[] = [];
  let cols = 0;
  rows.forEach((row, r) => {
    let c = 0;
    for (const cell of row) {
      while (taken[r][c]) c++;
      const rowSpan = Math.min(cell.rowSpan, rows.length - r);
      for (let dr = 0; dr < rowSpan; dr++) for (let dc = 0; dc < cell.colSpan; dc++) taken[r + dr][c + dc] = true;
      cells.push({ ...cell, rowSpan, row: r, col: c });
      c += cell.colSpan;
      cols = Math.max(cols, c);
    }
  });
  return { cells, rows: rows.length, cols };
}
