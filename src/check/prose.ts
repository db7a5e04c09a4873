/**
 * Prose cross-checks: where 一、总体情况 states a figure the table also holds (全年共受理依申请公开
 * 事项16件), the two are compared. Soft: a report's prose may count differently; a mismatch flags
 * the cell for review and never changes it.
 */
import { checkFlag, type CheckResult, type DraftTable, type Section } from '../model/report.js';
import { proseText, toSimplified } from '../normalize/text.js';
import type { TemplateDef } from '../templates/forms.js';
import { cellTitle } from '../templates/wording.js';

/** 收到/受理 … (政府信息公开|依申请公开) … N 件, within one clause. */
const RECEIVED = /(?:收到|受理)[^，。,；;：:]{0,12}?(?:政府信息公开|依申请公开)[^，。,；;：:\d]{0,8}?(\d+)\s*(?:件|起|个|条)/;
const KEY = 'applications.newReceived.total';

/** The prose check's id and the cell it compares (the dataset's codebook lists it). */
export const PROSE_CHECK = { id: `prose.${KEY}`, cell: KEY } as const;

export function proseChecks(sections: Section[], tables: DraftTable[], template: TemplateDef | null): CheckResult[] {
  const overview = sections.find((s) => /总体情况|概述/.test(toSimplified(s.heading)));
  const cell = tables.find((t) => t.id === 'applications')?.cells.find((c) => c.key === KEY);
  if (!overview || !cell || cell.state !== 'number') return [];
  const m = RECEIVED.exec(proseText(overview.text));
  if (!m) return [];
  const stated = Number(m[1]);
  const holds = stated === cell.value;
  if (!holds) cell.flags.push(checkFlag(PROSE_CHECK.id));
  const statement = `${overview.heading}“${m[0]}” = 表中 ${cellTitle(template, { table: 'applications', ...cell })}`;
  return [{ id: PROSE_CHECK.id, rule: `一、总体情况 states ${m[0]}`, statement, holds, lhs: stated, rhs: cell.value!, cells: [KEY], soft: true }];
}
