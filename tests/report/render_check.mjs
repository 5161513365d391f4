// Renders a claimcheck HTML report in Debian's headless Chromium (driven by playwright-core,
// which downloads no browser) and checks what a reader would see: the page loads without a
// console error or warning, asks the network for nothing (it is self-contained), and its plots
// hold one mark per hypothesis and one per run, as counted from the report's own JSON
// (suite.json beside suite.html, report.json beside a claim's report.html). Keeps a PNG.
//
//   node tests/report/render_check.mjs PAGE.html [--screenshot OUT.png [--screenshot-height PX]]
//                                                [--dark-screenshot OUT.png]
//
// Exit 0 when every check holds, 1 naming the first that failed, 77 when Chromium or
// playwright-core is missing (bash ci/setup.sh installs both).
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const chromiumPath = process.env.CLAIMCHECK_CHROMIUM || '/usr/bin/chromium';
const args = process.argv.slice(2);
const page = path.resolve(args[0] || '');
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? path.resolve(args[i + 1]) : null;
};
const fail = (message) => {
  console.error(`render_check: FAIL: ${message}`);
  process.exit(1);
};

let chromium;
try {
  ({ chromium } = createRequire(path.join(root, 'ci/node/package.json'))('playwright-core'));
} catch {
  console.error('render_check: SKIP: playwright-core is not installed (npm ci --prefix ci/node)');
  process.exit(77);
}
if (!existsSync(chromiumPath)) {
  console.error(`render_check: SKIP: no Chromium at ${chromiumPath} (apt-get install chromium)`);
  process.exit(77);
}
if (!existsSync(page)) fail(`no page at ${page}`);

// What the page must show, from the JSON the page was rendered from.
function expectedMarks() {
  const dir = path.dirname(page);
  if (path.basename(page) === 'suite.html') {
    const suite = JSON.parse(readFileSync(path.join(dir, 'suite.json'), 'utf8'));
    let hypotheses = 0;
    let runs = 0;
    for (const e of suite.entries) {
      hypotheses += (e.hypotheses || []).length;
      runs += e.runs || 0;
    }
    return { hypotheses, runs };
  }
  const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'));
  return {
    hypotheses: report.analysis.hypotheses.length,
    runs: Object.keys(report.analysis.runs).length,
  };
}

const expected = expectedMarks();
const started = Date.now();
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const problems = [];
try {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const tab = await context.newPage();
  const url = pathToFileURL(page).href;
  tab.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  tab.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  tab.on('request', (r) => {
    if (r.url() !== url) problems.push(`network request for ${r.url()} (the page must be self-contained)`);
  });
  tab.on('requestfailed', (r) => problems.push(`failed request ${r.url()}`));
  const launchedMs = Date.now() - started;
  const navigated = Date.now();
  await tab.goto(url, { waitUntil: 'load' });
  const loadedMs = Date.now() - navigated;
  const found = await tab.evaluate(() => ({
    hypotheses: document.querySelectorAll('svg .mark-hypothesis').length,
    runs: document.querySelectorAll('svg .mark-run').length,
    claimed: document.querySelectorAll('svg .claimed-side').length,
    // Lines of text per cell of the hypotheses tables (formulas and outcomes must not be
    // squeezed into a narrow column), and how far the page is wider than the window (a wide
    // table scrolls in its own box instead).
    cellLines: [...document.querySelectorAll('.hypotheses td')].map((td) => {
      const text = document.createRange();
      text.selectNodeContents(td);
      return {
        lines: Math.round(text.getBoundingClientRect().height / parseFloat(getComputedStyle(td).lineHeight)),
        text: td.textContent.slice(0, 60),
      };
    }),
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    plots: [...document.querySelectorAll('svg.plot')].map((s) => {
      const box = s.getBoundingClientRect();
      return { width: box.width, height: box.height, labelled: !!s.querySelector('.axis-label') };
    }),
  }));
  if (found.hypotheses !== expected.hypotheses) {
    problems.push(`${found.hypotheses} hypothesis marks, expected ${expected.hypotheses}`);
  }
  if (found.runs !== expected.runs) problems.push(`${found.runs} run marks, expected ${expected.runs}`);
  if (found.claimed !== expected.hypotheses) {
    problems.push(`${found.claimed} claimed-side marks, expected one per hypothesis (${expected.hypotheses})`);
  }
  const squeezed = found.cellLines.filter((c) => c.lines > 4);
  if (squeezed.length > 0) {
    problems.push(`${squeezed.length} hypotheses-table cells wrap onto more than 4 lines, e.g. ` +
      `${squeezed[0].lines} lines: "${squeezed[0].text}"`);
  }
  if (found.overflow > 0) problems.push(`the page is ${found.overflow} px wider than the window`);
  if (found.plots.length === 0) problems.push('no plots');
  for (const p of found.plots) {
    if (!(p.width > 100 && p.height > 40)) problems.push(`a plot renders at ${p.width}x${p.height}`);
    if (!p.labelled) problems.push('a plot without an axis label (units)');
  }
  const shot = option('--screenshot');
  const height = args.includes('--screenshot-height') ? Number(args[args.indexOf('--screenshot-height') + 1]) : 0;
  if (shot) {
    await tab.screenshot(height > 0
      ? { path: shot, fullPage: true, clip: { x: 0, y: 0, width: 1200, height } }
      : { path: shot, fullPage: true });
  }
  // Dark mode: the text colour must change with the scheme and differ from the background.
  await tab.emulateMedia({ colorScheme: 'dark' });
  const dark = await tab.evaluate(() => {
    const text = document.querySelector('svg text');
    return {
      fill: getComputedStyle(text).fill,
      background: getComputedStyle(document.body).backgroundColor,
    };
  });
  if (dark.fill === dark.background) problems.push(`dark mode: text ${dark.fill} on ${dark.background}`);
  const darkShot = option('--dark-screenshot');
  if (darkShot) await tab.screenshot({ path: darkShot, fullPage: true });
  console.log(JSON.stringify({ page, launch_ms: launchedMs, load_ms: loadedMs, expected, found: { hypotheses: found.hypotheses, runs: found.runs, plots: found.plots.length, max_cell_lines: Math.max(0, ...found.cellLines.map((c) => c.lines)), overflow: found.overflow } }));
} finally {
  await browser.close();
}
if (problems.length > 0) fail(problems.join('\n  '));
console.log('render_check: ok');
