/** The message line under the top bar: one message at a time, with optional actions. */
import { ApiError } from './api.js';
import { byId, fill, h } from './dom.js';

const root = byId('banner');

interface BannerAction {
  label: string;
  run: () => void;
}

/** `conflict` marks a refused save, so that it can be told from other errors. */
export function banner(kind: 'info' | 'ok' | 'error', message: string | Node, actions: BannerAction[] = [], conflict = false): void {
  root.className = `banner ${kind}`;
  root.dataset.kind = kind;
  if (conflict) root.dataset.conflict = 'true';
  else delete root.dataset.conflict;
  fill(root,
    h('span', { class: 'banner-text' }, message),
    actions.map((a) => h('button', { type: 'button', class: 'btn', onclick: a.run }, a.label)),
    h('button', { type: 'button', class: 'close', title: '关闭', 'aria-label': '关闭', onclick: () => hideBanner() }, '×'));
  root.hidden = false;
}

export function hideBanner(): void {
  root.hidden = true;
  root.replaceChildren();
}

/** Hides an error whose cause the user has just put right. */
export function dismissError(about: RegExp): void {
  if (root.dataset.kind === 'error' && about.test(root.textContent ?? '')) hideBanner();
}

export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 401 || err.status === 403) return `${err.message}（在右上角填写 API 密钥）`;
    return err.message;
  }
  return (err as Error)?.message ?? String(err);
}
