/**
 * Template knowledge: every form's tables, row and column keys, printed labels and their variants,
 * units and arithmetic checks. This is the only place that knows what the forms look like; the
 * reconstruction and the checks read it, and so do the sample generators.
 */
import type { TableId, TemplateId } from '../model/report.js';

export interface ColumnDef {
  key: string;
  label: string;
  /** Other printed wordings of the header (matched after normalisation). */
  variants?: string[];
  unit: string;
  /** Money columns may carry decimals and a unit of their own. */
  money?: boolean;
  signed?: boolean;
  /** Merged header labels printed above this column, outermost first (申请人情况 › 法人或其他组织). */
  groups?: string[];
}

export interface RowDef {
  key: string;
  /** The row's own label as the official form prints it (the leaf label). */
  label: string;
  variants?: string[];
  /** Printed group labels above it (三、本年度办理结果, （三）不予公开 …), outermost first. */
  groups?: string[];
  /** Keys of this row's columns when the table's columns differ by row (表二). */
  columns?: string[];
  /** Caption of the 表二 sub-table the row sits in. */
  caption?: string;
}

export interface TableDef {
  id: TableId;
  title: string;
  columns: ColumnDef[];
  rows: RowDef[];
  /** Rows that a document prints in one of two ways: key of the single row → keys of its split form. */
  alternativeRows?: { single: string; split: string[]; defaultForm: 'single' | 'split' };
}

/** The columns a row prints: the subset it names, or every column of its table. */
export function rowColumns(def: TableDef, row: RowDef): ColumnDef[] {
  return row.columns ? row.columns.map((k) => def.columns.find((c) => c.key === k)!) : def.columns;
}

/** A check expanded per column (`per: 'col'`) or per row (`per: 'row'`) of a table. */
export interface CheckDef {
  id: string;
  table: TableId;
  rule: string;
  per: 'col' | 'row';
  /** Row keys (per col) or column keys (per row) summed on each side. */
  lhs: string[];
  rhs: string[];
  /** For per-row checks: which rows the check applies to (default all). */
  rows?: string[];
  soft?: boolean;
}

export interface TemplateDef {
  id: Exclude<TemplateId, 'unknown'>;
  /** Header and label texts that only this template prints, with their weight as evidence. */
  signatures: { text: string; weight: number }[];
  tables: TableDef[];
  checks: CheckDef[];
}

const count = '件';

const applicants = '申请人情况';
const organisations = [applicants, '法人或其他组织'];
const applicantColumns: ColumnDef[] = [
  { key: 'naturalPerson', label: '自然人', unit: count, groups: [applicants] },
  { key: 'commercial', label: '商业企业', unit: count, groups: organisations },
  { key: 'research', label: '科研机构', unit: count, groups: organisations },
  { key: 'socialWelfare', label: '社会公益组织', unit: count, groups: organisations },
  { key: 'legalService', label: '法律服务机构', unit: count, groups: organisations },
  { key: 'otherOrg', label: '其他', unit: count, groups: organisations },
  { key: 'total', label: '总计', unit: count, groups: [applicants] },
];

const results = '三、本年度办理结果';
const denied = '（三）不予公开';
const unavailable = '（四）无法提供';
const notProcessed = '（五）不予处理';
const otherHandling = '（六）其他处理';

const applicationRows: RowDef[] = [
  { key: 'newReceived', label: '一、本年新收政府信息公开申请数量' },
  { key: 'carriedOver', label: '二、上年结转政府信息公开申请数量' },
  { key: 'granted', label: '（一）予以公开', groups: [results] },
  {
    key: 'partiallyGranted',
    label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
    variants: ['（二）部分公开'],
    groups: [results],
  },
  { key: 'denied.stateSecret', label: '1.属于国家秘密', groups: [results, denied] },
  {
    key: 'denied.lawForbidden',
    label: '2.其他法律行政法规禁止公开',
    variants: ['2.其他法律法规禁止公开', '2.其他法律行政止公开'],
    groups: [results, denied],
  },
  { key: 'denied.threeSafeties', label: '3.危及“三安全一稳定”', groups: [results, denied] },
  { key: 'denied.thirdParty', label: '4.保护第三方合法权益', groups: [results, denied] },
  { key: 'denied.internalAffairs', label: '5.属于三类内部事务信息', groups: [results, denied] },
  { key: 'denied.processInfo', label: '6.属于四类过程性信息', groups: [results, denied] },
  { key: 'denied.enforcementFile', label: '7.属于行政执法案卷', groups: [results, denied] },
  { key: 'denied.queryMatter', label: '8.属于行政查询事项', groups: [results, denied] },
  { key: 'unavailable.notHeld', label: '1.本机关不掌握相关政府信息', groups: [results, unavailable] },
  { key: 'unavailable.needsCreation', label: '2.没有现成信息需要另行制作', groups: [results, unavailable] },
  { key: 'unavailable.unclear', label: '3.补正后申请内容仍不明确', groups: [results, unavailable] },
  { key: 'notProcessed.complaint', label: '1.信访举报投诉类申请', groups: [results, notProcessed] },
  { key: 'notProcessed.duplicate', label: '2.重复申请', groups: [results, notProcessed] },
  { key: 'notProcessed.publication', label: '3.要求提供公开出版物', groups: [results, notProcessed] },
  { key: 'notProcessed.massRepeated', label: '4.无正当理由大量反复申请', groups: [results, notProcessed] },
  {
    key: 'notProcessed.confirmation',
    label: '5.要求行政机关确认或重新出具已获取信息',
    groups: [results, notProcessed],
  },
  { key: 'other', label: otherHandling, groups: [results] },
  {
    key: 'other.noCorrection',
    label: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
    groups: [results, otherHandling],
  },
  {
    key: 'other.unpaidFee',
    label: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
    groups: [results, otherHandling],
  },
  { key: 'other.other', label: '3.其他', groups: [results, otherHandling] },
  { key: 'total', label: '（七）总计', groups: [results] },
  { key: 'carriedForward', label: '四、结转下年度继续办理' },
];

/** The result rows whose sum is （七）总计: both forms of （六）, whichever the document prints. */
const resultRows = applicationRows
  .map((r) => r.key)
  .filter((k) => !['newReceived', 'carriedOver', 'total', 'carriedForward'].includes(k));

function applicationsTable(defaultOther: 'single' | 'split'): TableDef {
  return {
    id: 'applications',
    title: '三、收到和处理政府信息公开申请情况',
    columns: applicantColumns,
    rows: applicationRows,
    alternativeRows: {
      single: 'other',
      split: ['other.noCorrection', 'other.unpaidFee', 'other.other'],
      defaultForm: defaultOther,
    },
  };
}

const reviewColumns: ColumnDef[] = [
  { key: 'upheld', label: '结果维持', unit: count },
  { key: 'corrected', label: '结果纠正', unit: count },
  { key: 'other', label: '其他结果', unit: count },
  { key: 'pending', label: '尚未审结', unit: count },
  { key: 'total', label: '总计', unit: count },
];

/** 表四 prints its three rows as one line of 15 numbers, in this row order. */
const reviewLitigationTable: TableDef = {
  id: 'reviewLitigation',
  title: '四、政府信息公开行政复议、行政诉讼情况',
  columns: reviewColumns,
  rows: [
    { key: 'review', label: '行政复议' },
    { key: 'litigationDirect', label: '行政诉讼 未经复议直接起诉' },
    { key: 'litigationAfterReview', label: '行政诉讼 复议后起诉' },
  ],
};

const applicationChecks: CheckDef[] = [
  {
    id: 'applications.balance',
    table: 'applications',
    per: 'col',
    rule: 'newReceived + carriedOver = total + carriedForward',
    lhs: ['newReceived', 'carriedOver'],
    rhs: ['total', 'carriedForward'],
  },
  {
    id: 'applications.total',
    table: 'applications',
    per: 'col',
    rule: 'total = sum of every result row',
    lhs: ['total'],
    rhs: resultRows,
  },
  {
    id: 'applications.rowTotal',
    table: 'applications',
    per: 'row',
    rule: 'total = naturalPerson + commercial + research + socialWelfare + legalService + otherOrg',
    lhs: ['total'],
    rhs: ['naturalPerson', 'commercial', 'research', 'socialWelfare', 'legalService', 'otherOrg'],
  },
  {
    id: 'reviewLitigation.total',
    table: 'reviewLitigation',
    per: 'row',
    rule: 'total = upheld + corrected + other + pending',
    lhs: ['total'],
    rhs: ['upheld', 'corrected', 'other', 'pending'],
  },
];

const caption = {
  c1: '第二十条第（一）项',
  c5: '第二十条第（五）项',
  c6: '第二十条第（六）项',
  c8: '第二十条第（八）项',
  c9: '第二十条第（九）项',
};

const gov2021: TemplateDef = {
  id: 'gov2021',
  signatures: [
    { text: '本年制发件数', weight: 3 },
    { text: '本年废止件数', weight: 3 },
    { text: '现行有效件数', weight: 3 },
    { text: '本年收费金额（单位：万元）', weight: 2 },
    { text: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', weight: 2 },
    { text: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', weight: 2 },
  ],
  tables: [
    {
      id: 'active',
      title: '二、主动公开政府信息情况',
      columns: [
        { key: 'issued', label: '本年制发件数', unit: count },
        { key: 'repealed', label: '本年废止件数', unit: count },
        { key: 'inForce', label: '现行有效件数', unit: count },
        { key: 'decisions', label: '本年处理决定数量', unit: count },
        { key: 'amount', label: '本年收费金额（单位：万元）', variants: ['本年收费金额'], unit: '万元', money: true },
      ],
      rows: [
        { key: 'regulations', label: '规章', caption: caption.c1, columns: ['issued', 'repealed', 'inForce'] },
        {
          key: 'normativeDocuments',
          label: '行政规范性文件',
          variants: ['规范性文件'],
          caption: caption.c1,
          columns: ['issued', 'repealed', 'inForce'],
        },
        { key: 'licensing', label: '行政许可', caption: caption.c5, columns: ['decisions'] },
        { key: 'penalty', label: '行政处罚', caption: caption.c6, columns: ['decisions'] },
        { key: 'coercion', label: '行政强制', caption: caption.c6, columns: ['decisions'] },
        { key: 'fees', label: '行政事业性收费', caption: caption.c8, columns: ['amount'] },
      ],
    },
    applicationsTable('split'),
    reviewLitigationTable,
  ],
  checks: applicationChecks,
};

const gov2019: TemplateDef = {
  id: 'gov2019',
  signatures: [
    { text: '本年新制作数量', weight: 3 },
    { text: '本年新公开数量', weight: 3 },
    { text: '对外公开总数量', weight: 3 },
    { text: '上一年项目数量', weight: 3 },
    { text: '本年增/减', weight: 2 },
    { text: '采购项目数量', weight: 2 },
    { text: '第二十条第（九）项', weight: 2 },
    { text: '其他对外管理服务事项', weight: 2 },
  ],
  tables: [
    {
      id: 'active',
      title: '二、主动公开政府信息情况',
      columns: [
        { key: 'made', label: '本年新制作数量', unit: count },
        { key: 'published', label: '本年新公开数量', unit: count },
        { key: 'totalPublished', label: '对外公开总数量', unit: count },
        { key: 'previousItems', label: '上一年项目数量', unit: count },
        { key: 'change', label: '本年增/减', unit: count, signed: true },
        { key: 'decisions', label: '处理决定数量', unit: count },
        { key: 'items', label: '采购项目数量', unit: count },
        { key: 'amount', label: '采购总金额', unit: '万元', money: true },
      ],
      rows: [
        { key: 'regulations', label: '规章', caption: caption.c1, columns: ['made', 'published', 'totalPublished'] },
        {
          key: 'normativeDocuments',
          label: '规范性文件',
          variants: ['行政规范性文件'],
          caption: caption.c1,
          columns: ['made', 'published', 'totalPublished'],
        },
        { key: 'licensing', label: '行政许可', caption: caption.c5, columns: ['previousItems', 'change', 'decisions'] },
        {
          key: 'otherServices',
          label: '其他对外管理服务事项',
          caption: caption.c5,
          columns: ['previousItems', 'change', 'decisions'],
        },
        { key: 'penalty', label: '行政处罚', caption: caption.c6, columns: ['previousItems', 'change', 'decisions'] },
        { key: 'coercion', label: '行政强制', caption: caption.c6, columns: ['previousItems', 'change', 'decisions'] },
        { key: 'fees', label: '行政事业性收费', caption: caption.c8, columns: ['previousItems', 'change'] },
        { key: 'procurement', label: '政府集中采购', caption: caption.c9, columns: ['items', 'amount'] },
      ],
    },
    applicationsTable('single'),
    reviewLitigationTable,
  ],
  checks: applicationChecks,
};

/** Known legacy indicators: a key and the printed wordings that name it (normalised substrings). */
export interface LegacyIndicatorDef {
  key: string;
  /** Matched in order; the first pattern that matches the normalised label wins. */
  pattern: RegExp;
}

/**
 * A 附表 row (2008–2018) with its usual wording, which the codebook prints: the wording varies from
 * place to place (`pattern` recognises it), and the reader must take `label` as this key (tested).
 */
export interface LegacyRowDef extends LegacyIndicatorDef {
  label: string;
}

/** Order matters: more specific wordings first (信函、传真 before 信函 and 传真; 申诉 before 诉讼). */
export const legacyIndicators: LegacyRowDef[] = [
  { key: 'fees.waived', pattern: /收费.*减免|减免.*金额/, label: '收费减免金额' },
  { key: 'complaints.count', pattern: /申诉|举报/, label: '行政申诉、举报数' },
  { key: 'proactive.website', pattern: /网站公开|政府网站/, label: '其中：政府网站公开数' },
  { key: 'proactive.gazette', pattern: /政府公报/, label: '政府公报公开数' },
  { key: 'proactive.total', pattern: /主动公开(政府)?(信息|文件)(总)?数/, label: '主动公开政府信息数' },
  // Channels count applications: 网上咨询数 (人次, 定西) is not 网上申请数.
  { key: 'requests.letterFax', pattern: /信函[、,.]?传真.*申请/, label: '信函、传真申请数' },
  { key: 'requests.inPerson', pattern: /当面.*申请/, label: '当面申请数' },
  { key: 'requests.fax', pattern: /传真.*申请/, label: '传真申请数' },
  { key: 'requests.email', pattern: /电子邮件.*申请/, label: '电子邮件申请数' },
  { key: 'requests.online', pattern: /(网上|网络).*申请/, label: '网上申请数' },
  { key: 'requests.letter', pattern: /信函.*申请/, label: '信函申请数' },
  { key: 'requests.other', pattern: /其[他它]形式.*申请/, label: '其他形式申请数' },
  { key: 'requests.total', pattern: /受理.*申请.*总数|收到申请数|^申请总数|依申请公开信息总数/, label: '受理政府信息公开申请总数' },
  { key: 'responses.partial', pattern: /同意部分公开/, label: '同意部分公开答复数' },
  { key: 'responses.granted', pattern: /(?<!不)同意公开/, label: '同意公开答复数' },
  { key: 'responses.denied', pattern: /不予公开|否决公开|不同意公开/, label: '不同意公开答复数' },
  { key: 'responses.other', pattern: /其他类型答复/, label: '其他类型答复数' },
  { key: 'responses.total', pattern: /答复.*总?数/, label: '对申请的答复总数' },
  { key: 'review.count', pattern: /行政复议/, label: '行政复议数' },
  { key: 'litigation.count', pattern: /行政诉讼/, label: '行政诉讼数' },
];

/**
 * Prose-only legacy reports (no table at all, templates.md §C4): wordings that name one indicator
 * without doubt, matched against the words just before a number and its unit. Vaguer wordings
 * (共发布各类信息57条, 发生0起…行政复议) name nothing here: unambiguous or not at all.
 */
export const legacyProseIndicators: LegacyIndicatorDef[] = [
  { key: 'proactive.total', pattern: /(?<!不)主动公开(?:政府)?(?:信息|文件)(?:总?数)?$/ },
  { key: 'requests.total', pattern: /受理(?:政府信息公开|依申请公开)(?:申请)?(?:总?数)?$/ },
  { key: 'requests.letterFax', pattern: /信函[、,]?传真申请数?$/ },
  { key: 'requests.inPerson', pattern: /当面申请数?$/ },
  { key: 'requests.online', pattern: /(?:网络|网上)申请数?$/ },
  { key: 'requests.email', pattern: /电子邮件申请数?$/ },
  { key: 'requests.letter', pattern: /信函申请数?$/ },
  { key: 'requests.fax', pattern: /传真申请数?$/ },
  { key: 'responses.partial', pattern: /同意部分公开(?:答复)?数?$/ },
  { key: 'responses.granted', pattern: /(?<!不)同意公开(?:答复)?数?$/ },
  { key: 'responses.other', pattern: /其他类型答复数?$/ },
  { key: 'review.count', pattern: /行政复议(?:案件)?数?$/ },
  { key: 'litigation.count', pattern: /行政诉讼(?:案件)?数?$/ },
];

/** Words between an indicator and its number that say nothing (…共有57条, …共累计0起, …为3件). */
export const legacyProseFiller = /(?:共有|共计|合计|共|累计|为|达|是)+$/;

/** Units a prose figure must carry to count: a number without one is a date, a phone number, a share. */
export const legacyProseUnits = ['人次', '条', '件', '起', '篇', '项', '次', '个'];

/** Legacy value-column headers: which canonical column each printed header stands for. */
export const legacyColumns: { key: 'thisYear' | 'cumulative'; label: string; pattern: RegExp }[] = [
  { key: 'cumulative', label: '历年累计', pattern: /历年累计|本年累计|累计/ },
  { key: 'thisYear', label: '本年度', pattern: /^(本年度|\d{4}年?度?|本期(实际)?|统计数|本年|年末(统计)?数?)$/ },
];

export const legacyUnits = ['人次', '万元', '条', '件', '个', '人', '次', '篇', '元', '项'];

const legacy: TemplateDef = {
  id: 'legacy',
  signatures: [
    { text: '指标名称', weight: 3 },
    { text: '计量单位', weight: 2 },
    { text: '历年累计', weight: 3 },
    { text: '附表', weight: 1 },
    { text: '受理政府信息公开申请总数', weight: 2 },
    { text: '主动公开信息数', weight: 2 },
    { text: '主动公开文件数', weight: 2 },
    { text: '对申请的答复总数', weight: 2 },
    { text: '同意部分公开答复数', weight: 2 },
  ],
  tables: [
    {
      id: 'legacyIndicators',
      title: '政府信息公开情况统计表',
      columns: [
        { key: 'thisYear', label: '本年度', unit: '' },
        { key: 'cumulative', label: '历年累计', unit: '' },
      ],
      rows: [],
    },
  ],
  checks: [],
};

/**
 * Legacy checks, soft because real reports break them: a parent and the children it is the sum of
 * where the channels are exhaustive, and 历年累计 ≥ 本年度.
 */
export const legacySums: { parent: string; children: string[] }[] = [
  { parent: 'proactive.total', children: ['proactive.website', 'proactive.gazette'] },
  {
    parent: 'requests.total',
    children: [
      'requests.inPerson',
      'requests.fax',
      'requests.email',
      'requests.online',
      'requests.letter',
      'requests.letterFax',
      'requests.other',
    ],
  },
  { parent: 'responses.total', children: ['responses.granted', 'responses.partial', 'responses.denied', 'responses.other'] },
];

export const templates: Record<TemplateDef['id'], TemplateDef> = { gov2021, gov2019, legacy };

/** The most cells a form prints on one line: 表四's three rows of five, as one row of 15 numbers. */
export const widestPrintedRow = reviewLitigationTable.rows.length * reviewLitigationTable.columns.length;

/**
 * Header cells that name no row: 表二's first column, the legacy 附表's header. Text glued after
 * one of them (历年累计主动公开文件数) is the first row's label.
 */
export const formHeaderWords = ['信息内容', '附表', '指标名称', '计量单位', '单位', '历年累计', '本年度'];

/** Section headings of the national forms (一 … 六), for the sections list. */
export const sectionHeadingPattern = /^[一二三四五六七八九十]{1,2}[、.．]\s*\S/;

/** The words a report's section titles end in (一、总体情况, 五、存在的主要问题及改进措施 …), both scripts. */
export const sectionHeadingEndings = ['情况', '情況', '事项', '事項', '措施', '问题', '問題', '附表', '概述'];
