// Extraction and NOS forms per included study (GET/POST /api/extraction and /api/quality:
// extraction_state, record_extraction, quality_state, record_quality). Each extractor sees their
// own values and the agreed ones; which fields disagree is shown to all, the values behind a
// disagreement to the adjudicator only.
'use strict';
(async function () {
  const { el, message } = window.srma;
  const me = await window.srma.ready;
  const adjudicator = me.role === 'adjudicator';
  document.getElementById('consensus-label').hidden = !adjudicator;
  let ex = null;
  let q = null;
  let at = 0;

  function drawStudies() {
    const box = document.getElementById('studies');
    box.replaceChildren();
    ex.studies.forEach((s, i) => box.appendChild(el('button', { type: 'button', 'aria-pressed': String(i === at),
      onclick: () => { at = i; draw(); } }, [s.label || `record ${s.record}`, s.discrepant.length ? ` (${s.discrepant.length} to settle)` : ''])));
  }

  function draw() {
    drawStudies();
    const s = ex.studies[at];
    document.getElementById('extract-info').textContent = ex.studies.length
      ? `${ex.studies.length} included studies · ${ex.discrepancies.length} fields where extractors disagree`
      : 'No study is included at full text yet.';
    const t = document.getElementById('fields');
    const nos = document.getElementById('nos');
    t.replaceChildren();
    nos.replaceChildren();
    if (!s) return;
    document.getElementById('study-heading').textContent = `${s.label} · ${s.title}`;
    t.appendChild(el('tr', {}, ['Field', 'Your value', 'Agreed value', 'Extractors'].map((h) => el('th', { text: h }))));
    for (const f of ex.form) {
      const d = s.discrepant.includes(f.name);
      t.appendChild(el('tr', {}, [el('th', {}, [el('label', { for: `f-${f.name}`, text: f.label })]),
        el('td', {}, [el('input', { type: 'text', id: `f-${f.name}`, name: f.name, value: s.mine[f.name] || '' })]),
        el('td', { class: d ? 'discrepant' : '', text: d ? 'extractors disagree' : (s.final[f.name] || '') }),
        el('td', { text: String(s.filled_by[f.name] || 0) })]));
    }
    const qs = q.studies.find((x) => x.record === s.record) || { mine: {}, final: {} };
    nos.appendChild(el('tr', {}, ['Item', 'Your answer', 'Agreed answer'].map((h) => el('th', { text: h }))));
    for (const item of q.items) {
      const d = q.discrepancies.some((x) => x.record === s.record && x.item === item.id);
      nos.appendChild(el('tr', {}, [el('th', {}, [el('label', { for: `n-${item.id}`, text: `${item.id.toUpperCase()} ${item.name}` })]),
        el('td', {}, [el('input', { type: 'text', id: `n-${item.id}`, name: item.id, value: qs.mine[item.id] || '', size: 6 })]),
        el('td', { class: d ? 'discrepant' : '', text: d ? 'reviewers disagree' : (qs.final[item.id] || '') })]));
    }
    drawDiscrepancies();
  }

  function drawDiscrepancies() {
    const t = document.getElementById('discrepancies');
    t.replaceChildren(el('tr', {}, ['Study', 'Field or item', adjudicator ? 'Values' : 'Values (adjudicator only)']
      .map((h) => el('th', { text: h }))));
    const rows = ex.discrepancies.map((d) => [d.study, d.field, d.values])
      .concat(q.discrepancies.map((d) => [d.study, 'NOS ' + d.item, d.answers]));
    for (const [study, what, values] of rows) {
      t.appendChild(el('tr', {}, [el('td', { text: study }), el('td', { text: what }),
        el('td', { text: values ? Object.entries(values).map(([k, v]) => `${k}: ${v}`).join(' · ') : 'hidden' })]));
    }
  }

  async function load() {
    [ex, q] = await Promise.all([window.srma.get('/api/extraction'), window.srma.get('/api/quality')]);
    if (at >= ex.studies.length) at = 0;
    draw();
  }

  async function saveExtraction(ev) {
    if (ev) ev.preventDefault();
    const s = ex.studies[at];
    if (!s) return;
    const values = {};
    for (const f of ex.form) values[f.name] = document.getElementById(`f-${f.name}`).value;
    try {
      const r = await window.srma.post('/api/extraction', { record: s.record, values,
        consensus: adjudicator && document.getElementById('consensus').checked });
      await load();
      message(`Saved ${r.stored} values for ${s.label}`);
    } catch (e) { message(e.message, 'error'); }
  }

  async function saveNos(ev) {
    ev.preventDefault();
    const s = ex.studies[at];
    if (!s) return;
    const answers = {};
    for (const item of q.items) answers[item.id] = document.getElementById(`n-${item.id}`).value;
    try {
      const r = await window.srma.post('/api/quality', { record: s.record, answers,
        consensus: adjudicator && document.getElementById('consensus').checked });
      await load();
      message(`Saved ${r.stored} NOS answers for ${s.label}`);
    } catch (e) { message(e.message, 'error'); }
  }
  document.getElementById('extract-form').addEventListener('submit', saveExtraction);
  document.getElementById('nos-form').addEventListener('submit', saveNos);
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); saveExtraction(); }
  });
  await load();
})();
