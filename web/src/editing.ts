/**
 * Choosing and changing cells: the current cell, the in-place editor (typed values are committed
 * when they parse as numbers), accepting, alternatives, and moving through the queue and the forms.
 */
import type { CellKey } from '../../src/model/report.js';
import { banner, dismissError } from './banner.js';
import { correctable } from '../../src/check/queue.js';
import { byId, h } from './dom.js';
import { parseValue } from './review.js';
import type { ReviewScreen } from './review-screen.js';
import type { State } from './state.js';
import { cellTitle } from './tables.js';

interface Editor {
  key: CellKey;
  input: HTMLInputElement;
  td: HTMLTableCellElement;
}

export class Editing {
  private editor: Editor | null = null;

  constructor(private readonly state: State, private readonly screen: ReviewScreen) {
    const tables = byId('tables');
    tables.addEventListener('click', (e) => {
      const td = (e.target as HTMLElement).closest<HTMLTableCellElement>('td.v');
      if (td?.dataset.key && !td.classList.contains('editing')) this.select(td.dataset.key);
    });
    tables.addEventListener('dblclick', (e) => {
      const key = (e.target as HTMLElement).closest<HTMLTableCellElement>('td.v')?.dataset.key;
      if (!key || !state.review) return;
      this.select(key);
      this.editCurrent();
    });
  }

  /** The editor's input, while a cell is being edited. */
  get input(): HTMLInputElement | null {
    return this.editor?.input ?? null;
  }

  select(key: CellKey | null): void {
    if (!this.state.review || !key) return;
    if (this.editor && this.editor.key !== key && !this.close(true)) return;
    this.state.select(key);
    this.screen.scrollTo(key);
  }

  /** Opens the editor on the current cell, holding its value (F2, double click). */
  editCurrent(): void {
    const key = this.state.review?.current;
    if (!key) return;
    const v = this.state.review!.valueOf(key);
    this.startEdit(v.value === null ? '' : String(v.value));
  }

  /** Opens the editor on the current cell, holding `initial` (the key typed, or nothing). */
  startEdit(initial: string): void {
    const r = this.state.review;
    const key = r?.current;
    if (!r || !key) return;
    if (!correctable(r.cells.get(key)!, r.report.warnings)) {
      banner('info', '这一格在文档中没有印出（缺失），不能修改。');
      return;
    }
    const td = this.screen.cell(key);
    if (!td) return;
    this.close(false);
    const input = h('input', { class: 'cell-editor', type: 'text', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false', 'aria-label': `修改 ${cellTitle(r, key)}` });
    input.value = initial;
    td.replaceChildren(input);
    td.classList.add('editing');
    this.editor = { key, input, td };
    // Clicking elsewhere keeps what was typed (when it is a number).
    input.addEventListener('blur', () => {
      if (this.editor?.input === input) this.close(true);
    });
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  }

  /** Ends the edit; with commit, stores the typed value. False when what was typed is not a number. */
  close(commit: boolean): boolean {
    if (!this.editor) return true;
    const { key, input, td } = this.editor;
    const value = commit ? parseValue(input.value) : undefined;
    if (value === 'invalid') {
      input.classList.add('invalid');
      input.setCustomValidity('请输入数字');
      banner('error', `“${input.value}”不是数字：请输入数字，或清空表示空白格。Esc 取消。`);
      return false;
    }
    this.editor = null;
    td.classList.remove('editing');
    td.replaceChildren();
    if (document.activeElement === input || document.activeElement === document.body) (document.activeElement as HTMLElement | null)?.blur?.();
    if (value === undefined) {
      // Cancelled: the cell shows its value again.
      this.screen.paint();
    } else {
      dismissError(/不是数字/);
      this.state.setValue(key, value);
    }
    return true;
  }

  pickAlternative(i: number): void {
    const key = this.state.review?.current;
    const alt = key ? this.state.review!.cells.get(key)!.alternatives[i] : undefined;
    if (!key || !alt) return;
    this.close(false);
    this.state.setValue(key, alt.value);
  }

  /** Next (or previous) cell of the queue. */
  move(dir: 1 | -1): void {
    if (this.state.review) this.select(this.state.review.step(dir));
  }

  /** Accepts the current cell as it stands and goes on to the next one to review. */
  accept(): void {
    const r = this.state.review;
    if (!r?.current) return;
    // Nothing printed or entered to confirm: a missing cell (one a warning names) is entered, not accepted.
    if (r.valueOf(r.current).state === 'missing') {
      banner('info', '这一格没有读出数值：请输入它在原文中的值（原文空白：按 Delete 再按 Enter）。');
      return;
    }
    this.state.accept(r.current);
    const next = r.nextUnreviewed();
    if (next && next !== r.current) this.select(next);
  }

  /** Arrow keys: left/right in document order, up/down to the nearest cell above/below in the same table. */
  arrow(key: string): void {
    const r = this.state.review;
    if (!r?.current) return;
    if (key === 'ArrowLeft' || key === 'ArrowRight') {
      const i = r.position.get(r.current)! + (key === 'ArrowRight' ? 1 : -1);
      if (i >= 0 && i < r.layout.order.length) this.select(r.layout.order[i]);
      return;
    }
    const td = this.screen.cell(r.current);
    const table = td?.closest('table');
    if (!td || !table) return;
    const here = td.getBoundingClientRect();
    const cx = here.left + here.width / 2;
    let best: { key: CellKey; d: number } | null = null;
    for (const other of table.querySelectorAll<HTMLTableCellElement>('td.v')) {
      const rect = other.getBoundingClientRect();
      const below = rect.top >= here.bottom - 1;
      const above = rect.bottom <= here.top + 1;
      if ((key === 'ArrowDown' && !below) || (key === 'ArrowUp' && !above)) continue;
      const dy = key === 'ArrowDown' ? rect.top - here.bottom : here.top - rect.bottom;
      const d = dy * 4 + Math.abs(rect.left + rect.width / 2 - cx);
      if (!best || d < best.d) best = { key: other.dataset.key!, d };
    }
    if (best) this.select(best.key);
  }
}
