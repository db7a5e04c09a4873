/**
 * Saving corrections to the service: PUT against the version loaded. A 409 means someone saved
 * since; it is shown with who and when, the local edits are kept, and nothing is overwritten.
 */
import type { CorrectionChange, CorrectionEntry } from '../../src/api/wire.js';
import { api, ApiError } from './api.js';
import { banner, errorText, hideBanner } from './banner.js';
import { formatTime, h } from './dom.js';
import { Review } from './review.js';
import type { State } from './state.js';

interface SaveHooks {
  /** Commits an edit in progress; false when what was typed is not a number. */
  commitEdit(): boolean;
  show(review: Review, history: CorrectionEntry[], generation: number): Promise<void>;
  /** Opens the result again from the service, with local edits laid over it. */
  reopen(id: string, keep?: CorrectionChange[]): void;
}

export function saver(state: State, hooks: SaveHooks): () => Promise<void> {
  return async () => {
    const r = state.review;
    if (!r || state.saving) return;
    if (r.readonly) {
      banner('info', '这份结果是从文件打开的，不能保存回服务：请用“导出 JSON / CSV”。');
      return;
    }
    if (!hooks.commitEdit()) return;
    const changes = r.changes(true);
    if (!changes.length) {
      banner('info', '没有要保存的修改。');
      return;
    }
    state.setSaving(true);
    const generation = state.generation;
    try {
      const res = await api.save(r.resultId!, r.version!, changes);
      const list = await api.corrections(r.resultId!);
      if (!state.isLatest(generation)) return;
      const next = new Review(res.report, r.resultId, res.version, r.threshold);
      next.current = r.current;
      for (const k of r.reviewed) if (next.cells.has(k)) next.reviewed.add(k);
      state.setSaving(false);
      await hooks.show(next, list.corrections, generation);
      const fields = r.fieldEdits.size;
      const edits = changes.filter((c) => r.isEdited(c.key)).length;
      const confirmed = changes.length - edits - fields;
      banner('ok', `已保存：${edits} 处修改${fields ? `，${fields} 项报告信息` : ''}${confirmed ? `，${confirmed} 处确认` : ''}（现为第 ${res.version} 版）。`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) await conflict(r, hooks);
      else banner('error', `保存失败：${errorText(err)}`);
    } finally {
      state.setSaving(false);
    }
  };
}

/** Someone saved since this version was loaded: say who and when, and offer to reload, with or without the local edits. */
async function conflict(r: Review, hooks: SaveHooks): Promise<void> {
  let who = '其他人';
  let at = '';
  let now: number | null = null;
  try {
    const list = await api.corrections(r.resultId!);
    const latest = list.corrections.filter((c) => c.version > (r.version ?? 0)).at(-1) ?? list.corrections.at(-1);
    if (latest) {
      who = latest.who;
      at = formatTime(latest.at);
    }
    now = list.version;
  } catch {
    /* the message still holds */
  }
  const edits = r.changes(false);
  banner('error',
    h('span', { class: 'conflict' },
      h('strong', null, '未保存：'),
      `${who}${at ? ` 在 ${at}` : ''} 保存了这份结果（你载入的是第 ${r.version} 版${now !== null ? `，现在是第 ${now} 版` : ''}）。`,
      '你的修改没有写入，也不会覆盖对方的修改 —— 请重新载入。'),
    [
      { label: '重新载入并保留我的修改', run: () => { hideBanner(); hooks.reopen(r.resultId!, edits); } },
      { label: '重新载入', run: () => { hideBanner(); hooks.reopen(r.resultId!); } },
    ],
    true);
}
