/**
 * What the generator needs to know about each seed text beyond its expected JSON: which lines are
 * the title and the page chrome, where the flattened tables sit (they are replaced by real table
 * markup), and how the seed prints a few labels. Metadata values are the ones the seed prints;
 * a value the seed lacks is left empty rather than invented (except the 发布机构 of seeds 000/002/004,
 * taken from the agency the report names, and ICP lines of sites whose seed has no footer).
 */

export type Variant = 'plain' | 'gbk' | 'traditional';

export interface SeedSpec {
  /** File stem shared by seeds/<id>.txt and expected/<id>.json. */
  id: string;
  /** The report title when the seed has no title line. */
  title?: string;
  /** The line holding the title (removed from the prose; leading "#" stripped). */
  titleLine?: RegExp;
  /** The seed is in traditional characters: convert it to simplified first (the HTML keeps simplified labels). */
  traditional?: boolean;
  /** Page-chrome lines of the seed that are not prose (replaced by the generated chrome). */
  dropLines: RegExp[];
  /** Footer lines of the seed, moved into the page footer. */
  footerLines: RegExp[];
  /** The flattened tables run from the line matching `from` to the line before `to`. */
  tables: { from: RegExp; to: RegExp };
  /** Section headings the seed lost, inserted before the line matching `before`. */
  insertHeadings?: { before: RegExp; text: string }[];
  meta: [string, string][];
  /** Footer lines added when the seed has none (an ICP line at least). */
  footer?: string[];
  /** Printed-label overrides for the tables (see TableOptions.labels). */
  labels?: Record<string, string>;
  headerBreaks?: string[];
  variants: Variant[];
}

export const seeds: SeedSpec[] = [
  {
    id: '000_ac416d85e5af171b',
    title: '卫东区2019年政府信息公开工作年度报告',
    dropLines: [/^文号 \| 索引号/, /^主题分类 \|/],
    footerLines: [],
    tables: { from: /^第二十条第\(一\)项/, to: /^\(一\)工作中存在的主要问题和困难/ },
    insertHeadings: [
      { before: /^\(一\)工作中存在的主要问题和困难/, text: '五、存在的主要问题及改进情况' },
      { before: /^创新将政务公开培训工作/, text: '六、其他需要报告的事项' },
    ],
    meta: [
      ['索引号', '11410403MB0N459981/2020-00038'],
      ['主题分类', '区政府信息公开工作年度报告'],
      ['发布机构', '卫东区人民政府'],
      ['发布日期', ''],
    ],
    footer: ['主办：卫东区人民政府　承办：卫东区人民政府办公室', '网站标识码：0000000000　豫ICP备00000000号-1'],
    labels: { 'col:active.amount': '采购总金额（单位：万元，保留4位小数）' },
    variants: ['plain', 'gbk'],
  },
  {
    id: '001_c47c3146309e273f',
    titleLine: /^赤门乡2018年政府信息公开工作年度报告$/,
    dropLines: [/^发布时间:/, /^发布机构:/, /^【字体:/, /^索引号:/, /^发布日期:/],
    footerLines: [/^主办:/, /^技术支持:/, /^地址:/],
    tables: { from: /^指$/, to: /^主办:/ },
    meta: [
      ['索引号', ''],
      ['主题分类', ''],
      ['发布机构', ''],
      ['发布日期', '2019-01-10'],
    ],
    variants: ['plain'],
  },
  {
    id: '002_428db422c0ca7d7e',
    titleLine: /^鸭河工区管委会2019年政府信息公开工作年度报告$/,
    dropLines: [],
    footerLines: [],
    tables: { from: /^第二十条第（一）项/, to: /^#+\s*五、/ },
    meta: [
      ['索引号', ''],
      ['发布机构', '鸭河工区管委会'],
      ['发布日期', ''],
    ],
    footer: ['主办：鸭河工区管委会　承办：鸭河工区党政办', '豫ICP备00000000号'],
    labels: {
      'row:applications.denied.lawForbidden': '2.其他法律法规禁止公开',
      'col:active.amount': '采购总金额（单位：万元，保留4位小数）',
    },
    variants: ['plain'],
  },
  {
    id: '003_7d78940555e26d72',
    titleLine: /^同心县人民政府办公室2023年政府信息公开工作年度报告$/,
    dropLines: [/^来源:/, /^打印:/],
    footerLines: [/^扫一扫/, /^网站地图/, /^主办:/, /^宁ICP备/],
    tables: { from: /^第二十条第\(一\)项/, to: /^五、/ },
    meta: [
      ['索引号', ''],
      ['发布机构', '同心县人民政府办公室'],
      ['发布日期', '2024-01-22'],
    ],
    labels: {
      'row:applications.partiallyGranted': '（二）部分公开（区分处理的，只计这一情形。不计其他情形）',
    },
    headerBreaks: ['商业企业', '科研机构', '结果维持', '结果纠正', '其他结果', '尚未审结'],
    variants: ['plain', 'traditional'],
  },
  {
    id: '004_a98acada5b20935e',
    title: '岩垅乡2022年政府信息公开工作年度报告',
    traditional: true,
    dropLines: [/^发布时间:/],
    footerLines: [],
    tables: { from: /^第二十条第\(一\)项/, to: /^五、/ },
    meta: [
      ['索引号', ''],
      ['发布机构', '洪江市岩垅乡人民政府'],
      ['发布日期', '2023-01-30'],
    ],
    footer: ['主办：洪江市岩垅乡人民政府', '湘ICP备00000000号'],
    variants: ['plain'],
  },
];

/**
 * The traditional variant of seed 003: pinyin injected after three characters of prose, the way some
 * mirror sites do (數(shù)), and two prose numbers in full-width digits. Applied after the cn→tw
 * conversion, to paragraphs only (never to tables); each `find` must occur in the prose.
 */
export const traditionalEdits: { find: string; replace: string }[] = [
  { find: '統計數據', replace: '統計數(shù)據' },
  { find: '30號', replace: '30號(hào)' },
  { find: '重點圍繞', replace: '重(zhòng)點圍繞' },
  { find: '政府信息1211條', replace: '政府信息１２１１條' },
  { find: '依申請公開事項16件', replace: '依申請公開事項１６件' },
];
