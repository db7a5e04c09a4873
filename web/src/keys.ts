/**
 * The review keyboard: Tab/Shift+Tab, Enter, typing a number, Esc, Alt+1–3, arrows, F2, Delete, Ctrl+S,
 * N (next report needing review) and M (correct the agency, year and title); and the page image's:
 * [ ] zoom, \ fits the width, Shift+arrows pan.
 */
import { hideBanner } from './banner.js';
import type { Editing } from './editing.js';
import { ZOOM_STEP, type PageView } from './page.js';
import type { State } from './state.js';

const NUMBER_KEY = /^[0-9０-９.\-．－]$/;

/** What N and M do. */
export interface ReportActions {
  next(): void;
  fields(): void;
}

export function reviewKeys(state: State, editing: Editing, save: () => Promise<void>, report: ReportActions): (e: KeyboardEvent) => void {
  return (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
      e.preventDefault();
      if (editing.close(true)) void save();
      return;
    }
    const review = state.review;
    if (!review || state.view !== 'review') return;
    const target = e.target as HTMLElement;
    const inEditor = !!editing.input && target === editing.input;
    if (!inEditor && target.closest('input, textarea, select, [contenteditable="true"]')) return;
    if (e.isComposing) return;

    if (e.altKey && /^Digit[1-3]$/.test(e.code)) {
      e.preventDefault();
      editing.pickAlternative(Number(e.code.slice(-1)) - 1);
      return;
    }
    if (inEditor) {
      if (e.key === 'Enter') {
        e.preventDefault();
        if (editing.close(true)) {
          const next = review.nextUnreviewed();
          if (next) editing.select(next);
        }
      } else if (e.key === 'Tab') {
        e.preventDefault();
        if (editing.close(true)) editing.move(e.shiftKey ? -1 : 1);
      } else if (e.key === 'Escape') {
        e.preventDefault();
        editing.close(false);
      }
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    switch (e.key) {
      case 'Enter':
        e.preventDefault();
        editing.accept();
        return;
      case 'Tab':
        e.preventDefault();
        editing.move(e.shiftKey ? -1 : 1);
        return;
      case 'F2':
        e.preventDefault();
        editing.editCurrent();
        return;
      case 'Backspace':
      case 'Delete':
        e.preventDefault();
        editing.startEdit('');
        return;
      case 'Escape':
        if (state.hovering) state.hover([]);
        hideBanner();
        return;
      case 'n':
      case 'N':
        e.preventDefault();
        report.next();
        return;
      case 'm':
      case 'M':
        e.preventDefault();
        report.fields();
        return;
      case 'ArrowLeft':
      case 'ArrowRight':
      case 'ArrowUp':
      case 'ArrowDown':
        if (e.shiftKey) return; // the page image's: pageKeys
        e.preventDefault();
        editing.arrow(e.key);
        return;
    }
    if (NUMBER_KEY.test(e.key)) {
      e.preventDefault();
      editing.startEdit(e.key);
    }
  };
}

const PAN: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/** The page image's keys, in the review view outside any input (the cell editor included). */
export function pageKeys(state: State, page: PageView): (e: KeyboardEvent) => void {
  return (e) => {
    if (!state.review || state.view !== 'review' || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    if ((e.target as HTMLElement).closest('input, textarea, select, [contenteditable="true"]')) return;
    const pan = e.shiftKey ? PAN[e.key] : undefined;
    if (pan) page.pan(...pan);
    else if (e.key === ']') page.zoomBy(ZOOM_STEP);
    else if (e.key === '[') page.zoomBy(1 / ZOOM_STEP);
    else if (e.key === '\\') page.fit();
    else return;
    e.preventDefault();
  };
}
