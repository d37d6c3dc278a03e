// Load test of srma serve: R simulated reviewers (default 20) record D decisions (default
// 10,000) at once, each reviewer one request after another as fast as the server answers, all
// reviewers in parallel. Then the server is killed with SIGKILL (no graceful close) and the
// project's database is read by another process: every confirmed decision must be there, with the vote
// that was sent. Prints the latency percentiles of the vote requests.
//
// With THINK_MS=n in the environment each reviewer waits n ms between decisions (a person
// reading), instead of sending the next one as soon as the last is answered. With
// SRMA_LOAD_MAX_P95_MS=n the test also fails when the 95th percentile is above n ms (ctest's
// browser.load sets a bound loose enough for a busy machine: it guards against a return to a
// per-vote cost that grows with the project, not the 50 ms, which docs/web.md reports).
//
// Usage: node load_test.mjs SRMA_BINARY WORK_DIR [REVIEWERS] [DECISIONS]
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [srma, work, reviewersArg, decisionsArg] = process.argv.slice(2);
if (!srma || !work) {
  console.error('usage: node load_test.mjs SRMA_BINARY WORK_DIR [REVIEWERS] [DECISIONS]');
  process.exit(2);
}
const R = Number(reviewersArg || 20);
const D = Number(decisionsArg || 10000);
const perReviewer = Math.ceil(D / R);
const think = Number(process.env.THINK_MS || 0);
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.join(work, 'load-project');
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });

const run = (...args) => execFileSync(srma, args, { encoding: 'utf8' });
run('review', 'init', dir, '--title', 'Load test');
execFileSync('python3', [path.join(here, 'make_load_project.py'), String(perReviewer), path.join(work, 'load.ris')]);
run('review', 'import', path.join(work, 'load.ris'), '--source', 'Embase', '--project', dir);
run('review', 'dedup', '--project', dir);
const tokens = [];
for (let i = 0; i < R; ++i) {
  const out = run('review', 'reviewer', 'add', `r${String(i + 1).padStart(2, '0')}`, '--project', dir);
  tokens.push(/token=([A-Za-z0-9_-]+)/.exec(out)[1]);
}

const server = spawn(srma, ['serve', '--project', dir, '--port', '0', '--threads', '64'], { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise((resolve, reject) => {
  let text = '';
  server.stdout.on('data', (d) => {
    text += d;
    const m = /(http:\/\/[^ ]+:\d+)\//.exec(text);
    if (m) resolve(m[1]);
  });
  server.on('exit', (c) => reject(new Error(`srma serve exited with ${c}`)));
});
const url = new URL(base);
const agent = new http.Agent({ keepAlive: true, maxSockets: R * 2 });

function request(method, p, { body, headers } = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request({ host: url.hostname, port: url.port, path: p, method, agent,
      headers: { ...(headers || {}), ...(data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}) } },
    (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

// Sign every reviewer in with their token.
const sessions = [];
for (let i = 0; i < R; ++i) {
  const r = await request('GET', `/signin?token=${tokens[i]}`);
  if (r.status !== 303) throw new Error(`sign-in of reviewer ${i + 1}: ${r.status}`);
  const cookie = r.headers['set-cookie'][0].split(';')[0];
  const me = JSON.parse((await request('GET', '/api/me', { headers: { Cookie: cookie } })).text);
  sessions.push({ name: me.name, cookie, csrf: me.csrf });
}

const votes = ['include', 'exclude', 'maybe'];
const latencies = [];
const sent = new Map();  // "name|record" -> vote
let failed = 0;
let done = 0;
const t0 = performance.now();
await Promise.all(sessions.map(async (s, i) => {
  for (let record = 1; record <= perReviewer && done < D; ++record) {
    const vote = votes[(record * 7 + i) % 3];
    const start = performance.now();
    const r = await request('POST', '/api/vote', { body: { stage: 'title', record, vote },
      headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf } });
    latencies.push(performance.now() - start);
    if (r.status === 200) { sent.set(`${s.name}|${record}`, vote); ++done; } else { ++failed; console.error(r.status, r.text); }
    if (think) await new Promise((res) => setTimeout(res, think * (0.5 + Math.random())));
  }
}));
const seconds = (performance.now() - t0) / 1000;
server.kill('SIGKILL');
await new Promise((r) => server.on('exit', r));

// Read back what the database holds, after a kill with no chance to flush anything.
// Read back by another process (Python's sqlite3 module: no sqlite3 shell needed).
const rows = execFileSync('python3', ['-c',
  'import sqlite3, sys\n' +
  'db = sqlite3.connect(sys.argv[1])\n' +
  'for r in db.execute("SELECT reviewer, record, vote FROM decision WHERE stage = \'title\' ORDER BY id"):\n' +
  '    print("|".join(str(x) for x in r))\n',
  path.join(dir, 'review.srma.sqlite')], { encoding: 'utf8', maxBuffer: 1 << 28 })
  .trim().split('\n').filter(Boolean);
const stored = new Map();
for (const row of rows) {
  const [name, record, vote] = row.split('|');
  stored.set(`${name}|${record}`, vote);
}
let lost = 0;
for (const [k, v] of sent) if (stored.get(k) !== v) ++lost;
latencies.sort((a, b) => a - b);
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
const result = {
  reviewers: R, think_ms: think, decisions_confirmed: sent.size, failed_requests: failed, rows_in_database: rows.length,
  lost, seconds: Number(seconds.toFixed(2)), decisions_per_second: Math.round(sent.size / seconds),
  latency_ms: { p50: +q(0.5).toFixed(2), p95: +q(0.95).toFixed(2), p99: +q(0.99).toFixed(2), max: +latencies[latencies.length - 1].toFixed(2) },
};
console.log(JSON.stringify(result, null, 2));
const maxP95 = Number(process.env.SRMA_LOAD_MAX_P95_MS || 0);
if (maxP95 > 0 && result.latency_ms.p95 > maxP95) {
  console.error(`p95 ${result.latency_ms.p95} ms is above SRMA_LOAD_MAX_P95_MS = ${maxP95} ms`);
  process.exit(1);
}
process.exit(lost === 0 && failed === 0 && sent.size === D ? 0 : 1);
