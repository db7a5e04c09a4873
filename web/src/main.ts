/** The correction UI: open a result, review it cell by cell from the keyboard, save, export. Wires the parts together. */
import './styles.css';
import { apiKey, reviewerName, setApiKey, setReviewerName } from './api.js';
import { hideBanner } from './banner.js';
import { CellCard } from './cell-card.js';
import { byId } from './dom.js';
import { Editing } from './editing.js';
import { exportCsv, exportJson } from './exporting.js';
import { FieldsDialog } from './fields.js';
import { pageKeys, reviewKeys } from './keys.js';
import { NextReport } from './next-report.js';
import { Opening } from './opening.js';
import { Panels } from './panels.js';
import { ReviewScreen } from './review-screen.js';
import { saver } from './saving.js';
import { State } from './state.js';
import { upload } from './upload.js';

const state = new State();
const screen = new ReviewScreen(state, { pick: (key) => editing.select(key), leave: () => editing.close(false) });
const editing = new Editing(state, screen);
document.addEventListener('keydown', pageKeys(state, screen.pageView));
const fields = new FieldsDialog(state);
const nextReport = new NextReport(state);
new Panels(state, (key) => editing.select(key), () => fields.open());
new CellCard(state, (i) => editing.pickAlternative(i));
const opening = new Opening(state, screen);
const save = saver(state, {
  commitEdit: () => editing.close(true),
  show: (review, history, generation) => screen.show(review, history, generation),
  reopen: (id, keep) => void opening.openResult(id, keep),
});

const keyInput = byId<HTMLInputElement>('api-key');
byId<HTMLFormElement>('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  keyInput.dispatchEvent(new Event('change'));
});
keyInput.value = apiKey();
keyInput.addEventListener('change', () => {
  setApiKey(keyInput.value.trim());
  hideBanner();
  void opening.route();
});

const reviewerInput = byId<HTMLInputElement>('reviewer');
reviewerInput.value = reviewerName();
reviewerInput.addEventListener('change', () => setReviewerName(reviewerInput.value.replace(/\s+/g, ' ').trim()));
byId<HTMLFormElement>('reviewer-form').addEventListener('submit', (e) => {
  e.preventDefault();
  reviewerInput.dispatchEvent(new Event('change'));
  reviewerInput.blur();
});

byId('btn-open').addEventListener('click', () => {
  if (location.hash === '#/' || location.hash === '') opening.showOpenView();
  else location.hash = '#/';
});
byId('btn-save').addEventListener('click', () => void save());
byId('btn-json').addEventListener('click', () => state.review && exportJson(state.review));
byId('btn-csv').addEventListener('click', () => state.review && exportCsv(state.review, state.history));

byId('btn-refresh').addEventListener('click', () => void opening.loadList());

/** A file from the file inputs or the drop zone: a result JSON opens read-only, anything else is converted. */
const openFile = (file: File, asJson: boolean) => void (asJson ? opening.openFile(file) : upload(file));
for (const [id, asJson] of [['upload-input', false], ['json-input', true]] as const) {
  const input = byId<HTMLInputElement>(id);
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = '';
    if (file) openFile(file, asJson);
  });
}
const dropZone = byId('drop-zone');
dropZone.addEventListener('dragover', (e) => {
  e.preventDefault();
  dropZone.classList.add('drag');
});
dropZone.addEventListener('dragleave', () => dropZone.classList.remove('drag'));
dropZone.addEventListener('drop', (e) => {
  e.preventDefault();
  dropZone.classList.remove('drag');
  const file = e.dataTransfer?.files?.[0];
  if (file) openFile(file, /\.json$/i.test(file.name));
});

document.addEventListener('keydown', reviewKeys(state, editing, save, { next: () => void nextReport.go(), fields: () => fields.open() }));
window.addEventListener('hashchange', () => void opening.route());
window.addEventListener('beforeunload', (e) => {
  if (state.unsaved) e.preventDefault();
});

void opening.route();
