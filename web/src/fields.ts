/**
 * Correcting the report's agency, year and title: a small dialog (M, or the ✎ in the top bar) whose
 * values become local edits, saved with the cells' (Ctrl+S) and recorded in the history.
 */
import type { MetaKey } from '../../src/api/wire.js';
import { FIELD_LIMITS, fieldValue, type FieldValue } from '../../src/check/field-values.js';
import { banner } from './banner.js';
import { byId } from './dom.js';
import type { State } from './state.js';

const INPUTS: [MetaKey, string][] = [['report.agency', 'field-agency'], ['report.year', 'field-year'], ['report.title', 'field-title']];

export class FieldsDialog {
  private readonly dialog = byId<HTMLDialogElement>('fields-dialog');

  constructor(private readonly state: State) {
    byId('fields-cancel').addEventListener('click', () => this.dialog.close());
    byId<HTMLFormElement>('fields-form').addEventListener('submit', (e) => {
      if (!this.apply()) e.preventDefault();
    });
  }

  open(): void {
    const r = this.state.review;
    if (!r || this.state.view !== 'review') return;
    if (r.readonly) {
      banner('info', '从文件打开的结果不能修改机关、年度和标题：它们只能保存回服务。');
      return;
    }
    for (const [key, id] of INPUTS) {
      const input = byId<HTMLInputElement>(id);
      const v = r.field(key);
      input.value = v === null ? '' : String(v);
      input.setCustomValidity('');
    }
    this.dialog.showModal();
    byId<HTMLInputElement>('field-agency').select();
  }

  /** Takes the dialog's values as edits, by the service's own rules; false (the dialog stays) when one breaks them. */
  private apply(): boolean {
    const values = new Map<MetaKey, FieldValue>();
    for (const [key, id] of INPUTS) {
      const input = byId<HTMLInputElement>(id);
      const text = input.value.trim();
      const v = fieldValue(key, !text ? null : key === 'report.year' ? Number(text) : text);
      if ('error' in v) {
        input.setCustomValidity(key === 'report.year'
          ? `年度是 ${FIELD_LIMITS.minYear} 到 ${FIELD_LIMITS.maxYear} 之间的整数，或留空`
          : `最多 ${FIELD_LIMITS.maxText} 个字，不含控制字符，或留空`);
        input.reportValidity();
        return false;
      }
      values.set(key, v.value);
    }
    for (const [key, value] of values) this.state.setField(key, value);
    return true;
  }
}
