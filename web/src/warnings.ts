/**
 * The service's warnings about a conversion, in the checks card beside the failing checks: what each
 * means in the reviewer's words (its message, as the service wrote it, beneath), and where it is: a
 * click goes to the first cell it names, else the first cell to review on its page, else the page's first.
 */
import type { CellKey, Warning } from '../../src/model/report.js';
import { h } from './dom.js';
import type { Review } from './review.js';

const WORDS: Record<string, string> = {
  TEMPLATE_UNKNOWN: '没有找到已知格式的统计表',
  TABLE_NOT_FOUND: '文档没有印出这张表',
  TABLE_NOT_READ: '文档有这张表，但没能读出：它的单元格需要对照原文',
  ROW_NOT_FOUND: '表中有一行没有找到',
  ROW_TOO_MANY_VALUES: '一行的数值多于列数：数值放在哪一列不确定',
  ROW_TOO_FEW_VALUES: '一行的数值少于列数：数值放在哪一列不确定',
  SPLIT_GAVE_UP: '一行的数字粘连在一起，拆法太多：这些格留空待核',
  PROSE_ONLY: '数值只见于正文，不在表格中',
  PAGE_OCR: '这一页的文字层不可信，已用 OCR 识别',
  PAGE_NEEDS_OCR: '这一页的文字层不可信，需要 OCR',
  PDF_REPAIRED: 'PDF 文件不完整，已尽量读取',
  PDF_WATERMARK: '已去掉水印文字',
  INVALID_BYTES: '文本中有无效字节，已替换',
  OCR_LONG_IMAGE: '长图分段识别',
  OCR_ROTATED: '页面已旋转后识别',
  OCR_DESKEWED: '页面已纠正倾斜后识别',
  OCR_LOW_RESOLUTION: '扫描分辨率偏低，识别可能不准',
  OCR_RED_INK: '印章压在表格上：相关单元格的读数不太确定',
  OCR_TRADITIONAL: '页面是繁体字，表格标签已再读一遍',
  OCR_NO_TABLE: '图中没有找到表格线，只读出了文字行',
  OCR_PHOTO: '页面是照片，已找出纸面并摆正',
  OCR_UNEVEN_LIGHT: '页面光照不均，已调匀亮度',
};

/** The cell a warning leads to: the first of its cells, else the first queued cell on its page, else the page's first printed cell. */
function target(review: Review, w: Warning, queued: Set<CellKey>): CellKey | null {
  const named = review.layout.order.find((k) => w.cells?.includes(k));
  if (named) return named;
  if (!w.page) return null;
  const onPage = review.layout.order.filter((k) => review.cells.get(k)!.evidence.page === w.page && review.cells.get(k)!.state !== 'missing');
  return onPage.find((k) => queued.has(k)) ?? onPage[0] ?? null;
}

export function warningItems(review: Review, pick: (key: CellKey) => void): HTMLLIElement[] {
  // The checks card is drawn again at every change: the queue is worked out once for all the warnings.
  const queued = new Set(review.queue());
  return review.report.warnings.map((w) => {
    const to = target(review, w, queued);
    return h('li', {
      class: `warning${to ? ' goes' : ''}`, 'data-warning': w.code, title: w.code,
      onclick: to ? () => pick(to) : undefined,
    },
    h('span', { class: 'check-id' }, `⚠ ${WORDS[w.code] ?? w.code}${w.page ? ` · 第 ${w.page} 页` : ''}`),
    h('span', { class: 'warning-message' }, w.message));
  });
}
