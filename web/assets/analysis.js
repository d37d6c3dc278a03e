// srma serve: the analysis page. Study table (editable, paste from a spreadsheet), options, pooled
// result, forest and funnel plots, PRISMA diagram and downloads, all from /api/analysis/
// (src/web/analysis.cpp; docs/web.md, "Analysis"). Text from data goes in through textContent;
// figures are srma's own SVG, parsed with DOMParser and stripped of anything active before they
// are shown.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  let el = null;  // srma.el, once app.js has loaded

  const state = {
    columns: [],
    rows: [],
    runSeq: 0,
    runTimer: null,
    saveTimer: null,
    lastResult: null,
  };

  // ---- options ----------------------------------------------------------------------------

  const selects = {
    measure: 'measures', model: 'models', tau2: 'tau2', pi: 'pi', i2: 'i2',
  };
  const modelNames = {
    auto: 'auto: I² rule of the seed review', common: 'common effect', random: 'random effects',
    both: 'both (random effects first)',
  };
  const piNames = {
    t: 't, k−1 df', t2: 't, k−2 df', z: 'normal', test: 'as the CI (metafor)', none: 'none',
  };

  function fillSelect(select, values, chosen, names) {
    select.replaceChildren();
    for (const v of values) {
      select.appendChild(el('option', { value: v, text: (names && names[v]) || v, selected: v === chosen }));
    }
  }

  function fillSubgroupSelect() {
    const select = $('opt-by');
    const chosen = select.value;
    select.replaceChildren(el('option', { value: '', text: 'none' }));
    for (const c of state.columns) {
      if (c === 'study') continue;
      select.appendChild(el('option', { value: c, text: c, selected: c === chosen }));
    }
  }

  function currentOptions() {
    const o = {
      measure: $('opt-measure').value,
      model: $('opt-model').value,
      auto_i2: $('opt-auto_i2').value,
      tau2: $('opt-tau2').value,
      hksj: $('opt-hksj').checked,
      level: $('opt-level').value,
      pi: $('opt-pi').value,
      i2: $('opt-i2').value,
      by: $('opt-by').value,
      columns: $('opt-columns').value,
      favours: $('opt-favours').value,
    };
    for (const k of Object.keys(o)) if (o[k] === '' || o[k] === false) delete o[k];
    return o;
  }

  function queryString(o) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(o)) q.set(k, String(v));
    const s = q.toString();
    return s ? '?' + s : '';
  }

  // ---- figures ----------------------------------------------------------------------------

  // srma's SVG as a DOM node: parsed as XML (never as HTML), with scripts, foreign content,
  // event attributes and outside links removed; labels stay text nodes.
  function safeSvg(text) {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const svg = doc.documentElement;
    if (!svg || svg.localName !== 'svg' || doc.getElementsByTagName('parsererror').length) return null;
    for (const bad of svg.querySelectorAll('script, foreignObject, iframe')) bad.remove();
    for (const n of [svg, ...svg.querySelectorAll('*')]) {
      for (const a of Array.from(n.attributes)) {
        const name = a.name.toLowerCase();
        const href = name === 'href' || name === 'xlink:href';
        if (name.startsWith('on') || (href && !a.value.startsWith('#'))) n.removeAttribute(a.name);
      }
    }
    svg.setAttribute('focusable', 'false');
    return document.importNode(svg, true);
  }

  function showSvg(box, text, fallback) {
    const node = text ? safeSvg(text) : null;
    if (node) box.replaceChildren(node);
    else box.replaceChildren(el('p', { class: 'muted', text: fallback || 'No figure.' }));
  }

  // ---- the pooled result ------------------------------------------------------------------

  const ratio = new Set(['HR', 'OR', 'RR', 'IRR', 'ROM']);

  function fmt(x, digits) {
    if (x === null || x === undefined || !Number.isFinite(x)) return '—';
    return x.toFixed(digits);
  }
  function fmtP(p) {
    if (p === null || p === undefined || !Number.isFinite(p)) return '—';
    return p < 0.001 ? '< 0.001' : p.toFixed(3);
  }

  // A cell whose text is the number as shown, with the full value in data-value (what the
  // browser test compares with `srma pool --json`).
  function num(key, value, text) {
    return el('td', { 'data-key': key, 'data-value': value === null || value === undefined ? '' : String(value), text });
  }

  function modelRows(r, prefix, label, digits, modelInfo) {
    const rows = [];
    const models = [];
    const m = modelInfo || r.model || {};
    const req = m.requested || 'both';
    if (req === 'both') models.push('random', 'common');
    else if (req === 'auto') models.push(m.primary || 'random');
    else models.push(req);
    for (const k of models) {
      const e = r[k];
      if (!e) continue;
      const d = e.display || {};
      const name = (k === 'random' ? 'Random effects' : 'Common effect') + (label ? ' — ' + label : '');
      rows.push(el('tr', { 'data-model': prefix + k }, [
        el('th', { scope: 'row', text: name }),
        num(prefix + k + '.display.estimate', d.estimate, fmt(d.estimate, digits)),
        el('td', { 'data-key': prefix + k + '.ci', text: fmt(d.ci_lower, digits) + ' to ' + fmt(d.ci_upper, digits) }),
        num(prefix + k + '.p', e.p, fmtP(e.p)),
        num(prefix + k + '.estimate', e.estimate, fmt(e.estimate, 4)),
        num(prefix + k + '.se', e.se, fmt(e.se, 4)),
      ]));
    }
    return rows;
  }

  function showResult(data) {
    const r = data.result;
    state.lastResult = r;
    const digits = ratio.has(r.measure) ? 2 : 3;
    const level = r.level;
    const head = el('tr', {}, [
      el('th', { scope: 'col', text: 'Model' }),
      el('th', { scope: 'col', text: r.measure || 'Estimate' }),
      el('th', { scope: 'col', text: level + '% CI' }),
      el('th', { scope: 'col', text: 'p' }),
      el('th', { scope: 'col', text: 'Analysis scale' }),
      el('th', { scope: 'col', text: 'SE' }),
    ]);
    const body = el('tbody', {}, modelRows(r, '', '', digits));
    for (const [i, g] of (r.subgroups || []).entries()) {
      for (const row of modelRows(g, 'subgroups.' + i + '.', String(g.level) + ' (k = ' + g.k + ')', digits, r.model)) body.appendChild(row);
    }
    const h = r.heterogeneity || {};
    const het = el('table', { class: 'het' }, [el('tbody', {}, [
      el('tr', {}, [el('th', { scope: 'row', text: 'Studies (k)' }), num('k', r.k, String(r.k))]),
      el('tr', {}, [el('th', { scope: 'row', text: 'I²' }), num('heterogeneity.I2', h.I2, fmt(h.I2, 1) + '%')]),
      el('tr', {}, [el('th', { scope: 'row', text: 'τ²' }), num('heterogeneity.tau2', h.tau2, fmt(h.tau2, 4))]),
      el('tr', {}, [el('th', { scope: 'row', text: 'Q (df)' }), num('heterogeneity.Q', h.Q, fmt(h.Q, 2) + ' (' + h.df + '), p ' + fmtP(h.p))]),
    ])]);
    const parts = [el('table', { class: 'pooled' }, [el('thead', {}, [head]), body]), het];
    if (r.model && r.model.reason) parts.push(el('p', { class: 'muted', id: 'model-reason', text: r.model.reason }));
    if (r.between) {
      parts.push(el('p', { id: 'between', text: 'Test for subgroup differences: Q = ' + fmt(r.between.Q, 2) + ', df = ' + r.between.df + ', p ' + fmtP(r.between.p) }));
    }
    const excluded = (r.input && r.input.excluded) || [];
    if (excluded.length) {
      parts.push(el('p', { class: 'muted', text: 'Left out: ' + excluded.map((e) => e.study + ' (' + e.reason + ')').join('; ') }));
    }
    parts.push(el('p', { class: 'muted timing', text: 'Computed by srma in ' + fmt(data.elapsed_ms, 1) + ' ms.' }));
    $('result').replaceChildren(...parts);
    const notes = $('notes');
    notes.replaceChildren(...(data.notes || []).map((n) => el('li', { text: n })));
    showSvg($('forest'), data.forest_svg);
    showSvg($('funnel'), data.funnel_svg, data.funnel_error);
  }

  function showRunError(e) {
    state.lastResult = null;
    $('result').replaceChildren(el('p', { class: 'error', text: e.message + (e.id ? ' [' + e.id + ']' : '') }));
    $('notes').replaceChildren();
    $('forest').replaceChildren();
    $('funnel').replaceChildren();
  }

  async function runNow() {
    const seq = ++state.runSeq;
    const box = $('result');
    box.setAttribute('aria-busy', 'true');
    document.body.dataset.running = '1';
    try {
      const data = await window.srma.post('/api/analysis/run', currentOptions());
      if (seq !== state.runSeq) return;  // a newer request is on its way
      showResult(data);
    } catch (e) {
      if (seq !== state.runSeq) return;
      showRunError(e);
    } finally {
      if (seq === state.runSeq) {
        box.setAttribute('aria-busy', 'false');
        delete document.body.dataset.running;
        document.body.dataset.runs = String(seq);
      }
    }
    drawDownloads();
  }

  function scheduleRun() {
    clearTimeout(state.runTimer);
    state.runTimer = setTimeout(runNow, 200);
  }

  // ---- the study table --------------------------------------------------------------------

  function cellInput(r, c, size) {
    const input = el('input', {
      type: 'text', value: state.rows[r][c], 'data-row': r, 'data-col': c, size,
      'aria-label': 'row ' + (r + 1) + ', ' + state.columns[c],
    });
    input.addEventListener('change', () => {
      state.rows[r][c] = input.value;
      scheduleSave();
    });
    input.addEventListener('paste', (ev) => pasteCells(ev, r, c));
    return input;
  }

  function drawTable() {
    const t = $('studies');
    const head = el('tr', {}, [el('th', { scope: 'col', text: '#' }),
      ...state.columns.map((c) => el('th', { scope: 'col', text: c })),
      el('th', { scope: 'col', text: '' })]);
    const body = el('tbody');
    // Each column as wide as its longest entry (4 to 28 characters).
    const sizes = state.columns.map((name, c) => Math.min(28, Math.max(4, name.length,
      ...state.rows.map((row) => String(row[c] || '').length)) + 1));
    state.rows.forEach((row, r) => {
      const del = el('button', { type: 'button', class: 'link', text: 'Delete', 'aria-label': 'Delete row ' + (r + 1) });
      del.addEventListener('click', () => { state.rows.splice(r, 1); drawTable(); scheduleSave(0); });
      body.appendChild(el('tr', {}, [el('th', { scope: 'row', text: String(r + 1) }),
        ...row.map((_, c) => el('td', {}, [cellInput(r, c, sizes[c])])), el('td', {}, [del])]));
    });
    t.replaceChildren(el('thead', {}, [head]), body);
    fillSubgroupSelect();
  }

  function showTable(data) {
    state.columns = data.columns;
    state.rows = data.rows.map((r) => r.slice());
    $('table-source').textContent = data.source === 'edited'
      ? 'The edited table (' + data.file + ' in the project folder).'
      : "The project's own table, from its extraction and quality assessments.";
    drawTable();
    const c = data.check || {};
    const status = $('table-status');
    status.className = '';
    if (c.ok === false) status.textContent = c.error.what;
    else status.textContent = (c.k || 0) + ' of ' + state.rows.length + ' studies have an estimate.';
  }

  function markCell(err) {
    for (const i of document.querySelectorAll('#studies input[aria-invalid]')) i.removeAttribute('aria-invalid');
    if (!err || !err.row) return;
    const c = state.columns.indexOf(err.column);
    const input = document.querySelector('#studies input[data-row="' + (err.row - 1) + '"][data-col="' + Math.max(c, 0) + '"]');
    if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
  }

  // POST with the session's CSRF token, keeping the whole error (its row and column) on failure.
  async function postTable(body) {
    const me = await window.srma.ready;
    const res = await fetch('/api/analysis/studies', {
      method: 'POST', credentials: 'same-origin', body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': me.csrf },
    });
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    if (!res.ok) {
      const detail = (data && data.error) || {};
      const err = new Error(detail.message || res.statusText);
      err.id = detail.id;
      err.detail = detail;
      throw err;
    }
    return data;
  }

  async function saveTable(body) {
    const status = $('table-status');
    try {
      const data = await postTable(body || { columns: state.columns, rows: state.rows });
      const same = JSON.stringify([data.columns, data.rows]) === JSON.stringify([state.columns, state.rows]);
      if (same && !body) {
        // The table on the page is what was stored: keep it (and what is being typed) as it is.
        for (const i of document.querySelectorAll('#studies input[aria-invalid]')) i.removeAttribute('aria-invalid');
        status.className = '';
        status.textContent = 'Stored. ' + (data.check && data.check.ok ? data.check.k + ' of ' + data.rows.length + ' studies have an estimate.' : ((data.check && data.check.error && data.check.error.what) || ''));
        $('table-source').textContent = 'The edited table (' + data.file + ' in the project folder).';
        scheduleRun();
        return;
      }
      const focused = document.activeElement;
      const pos = focused && focused.dataset ? [focused.dataset.row, focused.dataset.col] : null;
      showTable(data);
      if (pos && pos[0] !== undefined) {
        const again = document.querySelector('#studies input[data-row="' + pos[0] + '"][data-col="' + pos[1] + '"]');
        if (again) again.focus();
      }
      status.textContent = 'Stored. ' + status.textContent;
      scheduleRun();
    } catch (e) {
      status.className = 'error';
      status.textContent = 'Not stored: ' + e.message + (e.id ? ' [' + e.id + ']' : '');
      markCell(e.detail);
    }
  }

  function scheduleSave(delay) {
    clearTimeout(state.saveTimer);
    state.saveTimer = setTimeout(() => saveTable(), delay === undefined ? 300 : delay);
  }

  // Cells copied from a spreadsheet (tab-separated, one line per row) fill the table from the
  // cell they are pasted into, adding rows as needed.
  function pasteCells(ev, r0, c0) {
    const text = (ev.clipboardData || window.clipboardData).getData('text');
    if (!/[\t\n]/.test(text.replace(/\r?\n$/, ''))) return;  // one value: an ordinary paste
    ev.preventDefault();
    const lines = text.replace(/\r/g, '').replace(/\n$/, '').split('\n');
    lines.forEach((line, i) => {
      const r = r0 + i;
      while (state.rows.length <= r) state.rows.push(state.columns.map(() => ''));
      line.split('\t').forEach((v, j) => {
        if (c0 + j < state.columns.length) state.rows[r][c0 + j] = v;
      });
    });
    drawTable();
    saveTable();
  }

  async function loadTable() {
    try {
      showTable(await window.srma.get('/api/analysis/studies'));
    } catch (e) {
      $('table-status').textContent = e.message;
    }
  }

  // ---- PRISMA and downloads ---------------------------------------------------------------

  async function loadPrisma() {
    try {
      const p = await window.srma.get('/api/analysis/prisma');
      showSvg($('prisma'), p.svg);
      $('prisma-open').replaceChildren(...(p.open || []).map((o) => el('li', { text: o })));
    } catch (e) {
      $('prisma').replaceChildren(el('p', { class: 'error', text: e.message }));
    }
  }

  function drawDownloads() {
    const q = queryString(currentOptions());
    const items = [
      ['forest.svg', 'Forest plot (SVG)'], ['forest.pdf', 'Forest plot (PDF)'], ['forest.png', 'Forest plot (PNG)'],
      ['funnel.svg', 'Funnel plot (SVG)'], ['funnel.pdf', 'Funnel plot (PDF)'], ['funnel.png', 'Funnel plot (PNG)'],
      ['prisma.svg', 'PRISMA diagram (SVG)'], ['prisma.pdf', 'PRISMA diagram (PDF)'], ['prisma.png', 'PRISMA diagram (PNG)'],
      ['studies.csv', 'Study table (CSV)'], ['studies.xlsx', 'Study table (Excel)'], ['results.json', 'Pooled result (JSON, as srma pool --json)'],
      ['report.zip', 'Full report (srma run: report, tables, figures, plan; zip)'],
    ];
    $('downloads').replaceChildren(...items.map(([name, label]) =>
      el('li', {}, [el('a', { href: '/api/analysis/download/' + name + q, download: name, text: label })])));
  }

  async function makeReport() {
    const status = $('report-status');
    const button = $('make-report');
    button.disabled = true;
    status.textContent = 'Running the report…';
    try {
      const idx = await window.srma.get('/api/analysis/download/report' + queryString(currentOptions()));
      status.textContent = (idx.headline || 'Report written') + ' — ' + idx.files.length +
        ' files; the plan and table it used are included, so `srma run plan/plan.toml` makes it again.';
      $('report-files').replaceChildren(...idx.files.map((f) =>
        el('li', {}, [el('a', { href: f.url, download: f.path.split('/').pop(), text: f.path }),
          el('span', { class: 'muted', text: ' ' + Math.max(1, Math.round(f.bytes / 1024)) + ' KB' })])));
    } catch (e) {
      status.textContent = 'No report: ' + e.message;
    } finally {
      button.disabled = false;
    }
  }

  // ---- start ------------------------------------------------------------------------------

  async function start() {
    await window.srma.ready;
    el = window.srma.el;
    const opts = await window.srma.get('/api/analysis/options');
    const d = opts.defaults;
    for (const [name, list] of Object.entries(selects)) {
      fillSelect($('opt-' + name), opts[list], d[name],
        name === 'model' ? modelNames : name === 'pi' ? piNames : null);
    }
    $('opt-auto_i2').value = d.auto_i2;
    $('opt-level').value = d.level;
    $('opt-hksj').checked = !!d.hksj;
    const form = $('options');
    form.addEventListener('submit', (ev) => { ev.preventDefault(); runNow(); });
    form.addEventListener('change', scheduleRun);
    form.addEventListener('input', (ev) => { if (ev.target.type === 'number' || ev.target.type === 'text') scheduleRun(); });
    $('add-row').addEventListener('click', () => {
      state.rows.push(state.columns.map(() => ''));
      drawTable();
      const first = document.querySelector('#studies input[data-row="' + (state.rows.length - 1) + '"][data-col="0"]');
      if (first) first.focus();
    });
    $('reset-table').addEventListener('click', async () => {
      try {
        showTable(await window.srma.post('/api/analysis/studies/reset', {}));
        scheduleRun();
      } catch (e) { $('table-status').textContent = e.message; }
    });
    $('paste-apply').addEventListener('click', () => saveTable({ text: $('paste-text').value }));
    $('prisma-refresh').addEventListener('click', loadPrisma);
    $('make-report').addEventListener('click', makeReport);
    await loadTable();
    drawDownloads();
    await Promise.all([runNow(), loadPrisma()]);
  }

  start().catch((e) => {
    const box = document.getElementById('result');
    if (box) box.textContent = 'The analysis page could not start: ' + e.message;
  });
})();
