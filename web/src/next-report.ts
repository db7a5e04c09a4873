/**
 * "Next report needing review" (N, or the button): the next result after this one in the list that
 * still has cells in the review queue, round to the newest when none is after it. The button counts
 * the results needing review, as the service has them after each save.
 */
import type { ResultList } from '../../src/api/wire.js';
import { api } from './api.js';
import { banner, errorText } from './banner.js';
import { byId } from './dom.js';
import type { State } from './state.js';

export class NextReport {
  private readonly button = byId<HTMLButtonElement>('btn-next');

  constructor(private readonly state: State) {
    this.button.addEventListener('click', () => void this.go());
    state.on((change) => {
      if (change === 'opened' || change === 'view') void this.count();
    });
  }

  private show(counts: ResultList['counts']): void {
    this.button.textContent = `下一份待复核 (${counts.needsReview})`;
    this.button.dataset.needsReview = String(counts.needsReview);
  }

  /** Asks the service again how many results need review. */
  async count(): Promise<void> {
    try {
      this.show((await api.results({ limit: 1, needsReview: true })).counts);
    } catch {
      /* the button keeps its last count; going next will say what is wrong */
    }
  }

  async go(): Promise<void> {
    const here = this.state.review?.resultId ?? null;
    try {
      const after = here ? await api.results({ limit: 1, needsReview: true, cursor: here }) : null;
      let next = after?.results[0];
      if (!next) {
        const first = await api.results({ limit: 2, needsReview: true });
        this.show(first.counts);
        next = first.results.find((r) => r.id !== here);
      } else {
        this.show(after!.counts);
      }
      if (!next) {
        banner('info', here ? '没有其他待复核的报告了。' : '没有待复核的报告。');
        return;
      }
      location.hash = `#/results/${encodeURIComponent(next.id)}`;
    } catch (err) {
      banner('error', `无法找到下一份待复核的报告：${errorText(err)}`);
    }
  }
}
