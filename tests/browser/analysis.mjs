// Browser test of the analysis page of `srma serve` (web/assets/analysis.*; issue 16, item 6) in
// headless Chromium with playwright-core (Debian's /usr/bin/chromium).
//
// A new project; reviewer Ana signs in by name on the local server; then, each step checked:
//   1. the seed review's table (examples/gepnet-ptr/studies.csv with ILLUSTRATIVE hazard ratios,
//      the same as tests/unit/web_analysis_test.cpp) is pasted as tab-separated text into the
//      page's paste box and stored;
//   2. from the keyboard only, the tau^2 estimator is changed (DL, then PM, then SJ with HKSJ):
//      after each change the numbers on the page (data-value and the text shown) equal
//      `srma pool --json` on the same table with the same options;
//   3. a cell edited to a value that is not a number is refused with its row and column, and the
//      cell is marked;
//   4. a study labelled <script>...</script> shows as text in the forest plot, no script runs;
//   5. the figures, the PRISMA diagram and the downloads are there; the time of an analysis as the
//      page measures it (the server's own, and the round trip in the browser);
//   6. screenshots of the page in WORK_DIR/screenshots (analysis.png, analysis_error.png).
// Usage: node analysis.mjs SRMA_BINARY SOURCE_DIR WORK_DIR  (CHROMIUM= the browser)
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { compareScreenshot } from './screenshots.mjs';

const [srma, src, work] = process.argv.slice(2);
if (!srma || !src || !work) {
  console.error('usage: node analysis.mjs SRMA_BINARY SOURCE_DIR WORK_DIR');
  process.exit(2);
}
const shots = path.join(work, 'screenshots');
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(shots, { recursive: true });
const dir = path.join(work, 'project');
const run = (...args) => execFileSync(srma, args, { encoding: 'utf8' });

let failures = 0;
function check(ok, what, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${!ok && detail !== undefined ? ': ' + JSON.stringify(detail) : ''}`);
  if (!ok) failures += 1;
}
// A screenshot, compared with its baseline (screenshots.mjs; UPDATE_SCREENSHOTS=1 renews it).
async function shot(page, name, options = {}) {
  const file = path.join(shots, name + '.png');
  await page.screenshot({ path: file, ...options });
  try {
    const r = await compareScreenshot(browser, file, name);
    check(true, `screenshot ${name} matches its baseline` + (r ? ` (${r.differing} pixels differ)` : ''));
  } catch (e) {
    check(false, e.message);
  }
}

// ---- the table: the seed review's Table 1 with illustrative hazard ratios ------------------
const hr = [0.42, 0.38, 0.45, 0.75, 0.22, 0.52, 0.55, 0.50, 0.85, 0.40, 0.33];
const lower = [0.18, 0.21, 0.25, 0.52, 0.10, 0.43, 0.47, 0.42, 0.47, 0.34, 0.18];
const upper = [0.98, 0.69, 0.81, 1.08, 0.48, 0.63, 0.65, 0.60, 1.54, 0.47, 0.60];
function parseCsvLine(line) {  // the example file: quoted fields without inner quotes
  const out = [];
  let cur = '', quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur);
  return out;
}
const lines = fs.readFileSync(path.join(src, 'examples/gepnet-ptr/studies.csv'), 'utf8').trim().split('\n');
const header = parseCsvLine(lines[0]);
const rows = lines.slice(1).map(parseCsvLine);
rows.forEach((r, i) => {
  r[header.indexOf('hr')] = String(hr[i]);
  r[header.indexOf('lower')] = String(lower[i]);
  r[header.indexOf('upper')] = String(upper[i]);
});
const tsv = [header, ...rows].map((r) => r.join('\t')).join('\n') + '\n';
const csvPath = path.join(work, 'seed.csv');
const csvField = (f) => (/[",\n]/.test(f) ? '"' + f.replace(/"/g, '""') + '"' : f);
fs.writeFileSync(csvPath, [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n');

function cliPool(flags) {
  return JSON.parse(run('pool', csvPath, '--json', '--exclude-missing', ...flags));
}

// ---- the server --------------------------------------------------------------------------
run('review', 'init', dir, '--title', 'PTR in GEP-NETs (browser test)');
run('review', 'reviewer', 'add', 'Ana', '--project', dir);

function serve() {
  const child = spawn(srma, ['serve', '--project', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (d) => {
      text += d;
      const m = /(http:\/\/[^ ]+:\d+)\//.exec(text);
      if (m) resolve({ child, base: m[1] });
    });
    child.on('exit', (c) => reject(new Error(`srma serve exited with ${c}`)));
  });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ['--no-sandbox'],
});
const server = await serve();
try {
  const ctx = await browser.newContext({ baseURL: server.base, viewport: { width: 1400, height: 1000 } });
  const page = await ctx.newPage();
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));

  await page.goto('/signin');
  const signin = await page.evaluate(async () => {
    const r = await fetch('/api/signin', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Ana' }) });
    return r.status;
  });
  check(signin === 200, 'Ana signs in by name on the local server', signin);
  await page.goto('/analysis');
  await page.waitForSelector('#opt-tau2 option', { state: 'attached' });
  await page.waitForFunction(() => document.body.dataset.runs !== undefined);

  // 1. paste the table as tab-separated text
  await page.click('#paste-box summary');
  await page.fill('#paste-text', tsv);
  const stored = page.waitForResponse((r) => r.url().endsWith('/api/analysis/studies') && r.request().method() === 'POST');
  await page.click('#paste-apply');
  check((await stored).status() === 200, 'the pasted table is stored');
  await page.waitForFunction(() => document.querySelectorAll('#studies tbody tr').length === 11);
  check(await page.locator('#studies tbody tr').count() === 11, 'the table shows 11 studies');
  check((await page.inputValue('#studies input[data-row="1"][data-col="2"]')) === 'Italy, United Kingdom and Germany',
    'a cell with a comma survives the paste');

  // 2. change the estimator from the keyboard; the numbers equal srma pool --json
  async function waitRun(action) {
    const before = Number(await page.evaluate(() => document.body.dataset.runs || 0));
    await action();
    await page.waitForFunction((b) => Number(document.body.dataset.runs || 0) > b && !document.body.dataset.running, before);
  }
  async function value(key) {
    return page.getAttribute(`#result [data-key="${key}"]`, 'data-value');
  }
  async function shown(key) {
    return (await page.textContent(`#result [data-key="${key}"]`)).trim();
  }
  const close = (a, b) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
  async function compare(flags, label) {
    const cli = cliPool(flags);
    const m = cli.model.requested === 'auto' ? cli.model.primary : 'random';
    const got = {
      est: Number(await value(`${m}.estimate`)),
      se: Number(await value(`${m}.se`)),
      disp: Number(await value(`${m}.display.estimate`)),
      tau2: Number(await value('heterogeneity.tau2')),
      i2: Number(await value('heterogeneity.I2')),
    };
    const want = {
      est: cli[m].estimate, se: cli[m].se, disp: cli[m].display.estimate,
      tau2: cli.heterogeneity.tau2, i2: cli.heterogeneity.I2,
    };
    const ok = Object.keys(want).every((k) => close(got[k], want[k]));
    check(ok, `${label}: the page's numbers equal srma pool --json ${flags.join(' ')}`, { got, want });
    const text = await shown(`${m}.display.estimate`);
    check(text === want.disp.toFixed(2), `${label}: the HR shown is ${want.disp.toFixed(2)}`, text);
    const ci = await shown(`${m}.ci`);
    const wantCi = `${cli[m].display.ci_lower.toFixed(2)} to ${cli[m].display.ci_upper.toFixed(2)}`;
    check(ci === wantCi, `${label}: the CI shown is ${wantCi}`, ci);
    return got;
  }
  await page.waitForFunction(() => document.querySelector('#result [data-key="k"]')?.textContent === '11');
  await compare(['--model', 'auto'], 'defaults (auto, REML)');

  // Keyboard only: focus the estimator select with Tab from the model's rule field, then keys.
  await page.focus('#opt-auto_i2');
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement.id) === 'opt-tau2', 'Tab reaches the tau^2 estimator');
  const pick = async (code) => {
    const options = await page.$$eval('#opt-tau2 option', (os) => os.map((o) => o.value));
    const from = options.indexOf(await page.inputValue('#opt-tau2'));
    const to = options.indexOf(code);
    await waitRun(async () => {
      for (let i = from; i !== to; i += to > from ? 1 : -1) await page.keyboard.press(to > from ? 'ArrowDown' : 'ArrowUp');
    });
  };
  await pick('DL');
  const dl = await compare(['--model', 'auto', '--tau2', 'DL'], 'DL');
  await pick('PM');
  const pm = await compare(['--model', 'auto', '--tau2', 'PM'], 'PM');
  check(dl.tau2 !== pm.tau2, 'changing the estimator changes tau^2 on the page', { dl: dl.tau2, pm: pm.tau2 });
  await pick('SJ');
  await page.keyboard.press('Tab');  // to the HKSJ check box
  check(await page.evaluate(() => document.activeElement.id) === 'opt-hksj', 'Tab reaches the HKSJ box');
  await waitRun(() => page.keyboard.press('Space'));
  await compare(['--model', 'auto', '--tau2', 'SJ', '--hksj'], 'SJ + HKSJ');
  // Ten analyses and ten small GETs from the page, one after the other: the median round trip,
  // and srma's own part of it (elapsed_ms, measured inside the handler).
  const timing = await page.evaluate(async () => {
    const csrf = (await window.srma.ready).csrf;
    const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const post = [], server = [], get = [];
    for (let i = 0; i < 10; i++) {
      let t0 = performance.now();
      const r = await fetch('/api/analysis/run', {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
        body: JSON.stringify({ tau2: i % 2 ? 'REML' : 'DL' }),
      });
      const j = await r.json();
      post.push(performance.now() - t0);
      server.push(j.elapsed_ms);
      t0 = performance.now();
      await (await fetch('/api/analysis/options')).json();
      get.push(performance.now() - t0);
    }
    return { post: median(post), server: median(server), get: median(get) };
  });
  console.log(`     one analysis (k = 11), median of 10: ${timing.server.toFixed(1)} ms in srma, ` +
    `${timing.post.toFixed(1)} ms round trip in the browser (a small GET: ${timing.get.toFixed(1)} ms)`);
  check(timing.server < 50, "srma's part of an analysis takes well under 100 ms", timing);
  // The browser's round trip includes Chromium's own scheduling and, under ctest -j, other
  // tests' load: 76 ms alone on a loaded 2-core machine, more beside a build. The bound is
  // SRMA_BROWSER_MAX_MS (default 250 ms, so that a loaded CI machine does not fail a correct
  // page); srma's own part is held to 50 ms above.
  const maxMs = Number(process.env.SRMA_BROWSER_MAX_MS || 250);
  check(timing.post < maxMs, `an analysis answers in under ${maxMs} ms in the browser`, timing);
  check(await page.locator('#forest svg').count() === 1 && await page.locator('#funnel svg').count() === 1,
    'the forest and funnel plots are shown');
  check(await page.locator('#prisma svg').count() === 1, 'the PRISMA diagram is shown');
  check(await page.locator('#downloads a').count() >= 12, 'download links are listed');
  const forestHref = await page.getAttribute('#downloads a[download="forest.svg"]', 'href');
  check(forestHref.includes('tau2=SJ') && forestHref.includes('hksj=true'), 'downloads follow the options', forestHref);
  const dl2 = await page.evaluate(async (h) => (await fetch(h)).headers.get('content-type'), forestHref);
  check(dl2 === 'image/svg+xml', 'the forest plot downloads as SVG', dl2);
  // The full report (srma run) for these options, from the keyboard.
  await page.focus('#make-report');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#report-files li', { timeout: 120000 });
  const reportHref = await page.getAttribute('#report-files a[href$="/report/report.html"]', 'href');
  const report = await page.evaluate(async (h) => {
    const r = await fetch(h);
    return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
  }, reportHref);
  check(report.status === 200 && report.type.startsWith('text/html') && report.text.includes('Xu 2025'),
    'the full report is made and its HTML downloads', { status: report.status, type: report.type });
  const plan = await page.evaluate(async () => (await fetch('/api/analysis/download/report/plan/plan.toml')).text());
  check(plan.includes('tau2 = "SJ"') && plan.includes('ci = "hksj"'), "the report's plan has the page's options", plan);
  await shot(page, 'analysis', { fullPage: true, mask: [page.locator('.timing')], maskColor: '#e5e7eb' });

  // 3. a bad cell is refused with its row and column
  const cell = page.locator('#studies input[data-row="3"][data-col="' + header.indexOf('hr') + '"]');
  await cell.fill('0,75x');
  const refused = page.waitForResponse((r) => r.url().endsWith('/api/analysis/studies') && r.request().method() === 'POST');
  await cell.press('Tab');
  check((await refused).status() === 422, 'a bad cell is refused (422)');
  await page.waitForSelector('#studies input[aria-invalid="true"]');
  const status = await page.textContent('#table-status');
  check(status.includes("row 4 (Tao 2017), column 'hr'") && status.includes('srma.web.E970'),
    'the message names the row, the study and the column', status);
  check(await page.getAttribute('#studies input[aria-invalid="true"]', 'data-row') === '3', 'the bad cell is marked');
  await shot(page, 'analysis_error', { fullPage: false, mask: [page.locator('.timing')], maskColor: '#e5e7eb' });

  // 4. a label with markup is text
  await page.fill('#paste-text', 'study\thr\tlower\tupper\n<script>alert(1)</script>\t0.5\t0.3\t0.9\n<img src=x onerror=alert(2)>\t0.7\t0.5\t1.1\n');
  await waitRun(() => page.click('#paste-apply'));
  const labels = await page.$$eval('#forest svg text', (ts) => ts.map((t) => t.textContent));
  check(labels.includes('<script>alert(1)</script>'), 'the label <script>… is text in the forest plot', labels.slice(0, 6));
  check(await page.locator('#forest svg script, #forest img, #studies img').count() === 0, 'no element was made from a label');
  check(dialogs.length === 0, 'no script ran', dialogs);
  check(consoleErrors.filter((e) => !e.includes('422')).length === 0, 'no errors in the console', consoleErrors);
} finally {
  server.child.kill();
  await browser.close();
}
console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
process.exit(failures ? 1 : 0);
