/** Uploading a file as a job, with its progress in pages; the result opens when the job succeeds. */
import { api } from './api.js';
import { errorText } from './banner.js';
import { byId, fill, h } from './dom.js';

const status = byId('upload-status');

export async function upload(file: File): Promise<void> {
  const progress = h('progress', { max: 1 });
  const text = h('span', null, `上传 ${file.name}…`);
  fill(status, text, progress);
  status.dataset.state = 'uploading';
  try {
    let job = await api.submit(file);
    const started = Date.now();
    while (job.status === 'queued' || job.status === 'running') {
      const { pagesDone, pagesTotal } = job.progress;
      text.textContent = job.status === 'queued' ? `${file.name}：排队中…` : `${file.name}：转换中${pagesTotal ? ` · 第 ${pagesDone} / ${pagesTotal} 页` : '…'}`;
      if (pagesTotal) {
        progress.max = pagesTotal;
        progress.value = pagesDone;
      } else {
        progress.removeAttribute('value');
      }
      status.dataset.state = job.status;
      // Poll fast at first (most documents take a second or two), then gently.
      await new Promise((resolve) => setTimeout(resolve, Date.now() - started < 5000 ? 300 : 1000));
      job = await api.job(job.id);
    }
    status.dataset.state = job.status;
    if (job.status === 'succeeded' && job.resultId) {
      fill(status, h('span', { class: 'ok-text' }, `✓ ${file.name} 已转换`));
      location.hash = `#/results/${encodeURIComponent(job.resultId)}`;
    } else if (job.status === 'failed') {
      fill(status, h('span', { class: 'error-text' }, `✗ 转换失败：${job.error?.message ?? '未知错误'}`));
    } else {
      fill(status, h('span', { class: 'error-text' }, '转换已取消。'));
    }
  } catch (err) {
    status.dataset.state = 'failed';
    fill(status, h('span', { class: 'error-text' }, `✗ ${errorText(err)}`));
  }
}
