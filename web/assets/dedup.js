// De-duplication review: the uncertain pairs of the last run side by side, differing fields
// highlighted, a verdict with one key (POST /api/dedup: record_pair_verdicts, as
// `srma review dedup --review`).
'use strict';
(async function () {
  const { el, message } = window.srma;
  await window.srma.ready;
  const table = document.getElementById('pair');
  const info = document.getElementById('dedup-info');
  const actions = document.getElementById('pair-actions');
  const fields = [['title', 'Title'], ['authors', 'Authors'], ['journal', 'Journal'], ['year', 'Year'],
    ['volume', 'Volume'], ['pages', 'Pages'], ['doi', 'DOI'], ['pmid', 'PMID'], ['source', 'Source'],
    ['abstract', 'Abstract']];
  let data = null;
  let at = 0;
  const norm = (s) => String(s || '').trim().toLowerCase().replace(/\s+/g, ' ');

  function draw() {
    table.replaceChildren();
    actions.replaceChildren();
    const n = data.pairs.length;
    const removed = data.removed;
    info.textContent = `${n} uncertain ${n === 1 ? 'pair awaits' : 'pairs await'} a verdict · ` +
      `${removed} ${removed === 1 ? 'record' : 'records'} removed as duplicates so far`;
    const p = data.pairs[at];
    if (!p) { info.textContent += ' · nothing left to review.'; return; }
    table.appendChild(el('tr', {}, [el('th', { text: `Pair ${at + 1} of ${data.pairs.length} (score ${p.score.toFixed(3)}, ${p.reason})` }),
      el('th', { text: `Record ${p.a.record} (${p.a.label})` }), el('th', { text: `Record ${p.b.record} (${p.b.label})` })]));
    for (const [k, label] of fields) {
      const a = p.a[k] ?? '';
      const b = p.b[k] ?? '';
      table.appendChild(el('tr', { class: norm(a) === norm(b) ? '' : 'diff' },
        [el('th', { text: label }), el('td', { text: String(a) }), el('td', { text: String(b) })]));
    }
    const b = (cls, label, key, fn) => el('button', { type: 'button', class: cls, onclick: fn }, [label + ' ', el('kbd', { text: key })]);
    actions.append(b('include', 'Same article: merge', 'd', () => verdict('duplicate')),
                   b('exclude', 'Different: keep apart', 'k', () => verdict('distinct')),
                   b('', 'Skip', 's', () => move(1)));
  }

  async function verdict(v) {
    const p = data.pairs[at];
    if (!p) return;
    try {
      const r = await window.srma.post('/api/dedup', { a: p.a.record, b: p.b.record, verdict: v });
      message(`Recorded: records ${p.a.record} and ${p.b.record} ${v === 'duplicate' ? 'merged' : 'kept apart'}; ${r.removed} removed as duplicates`);
      await load();
    } catch (e) { message(e.message, 'error'); }
  }

  function move(d) { at = Math.max(0, Math.min(at + d, data.pairs.length - 1)); draw(); }

  async function load() {
    data = await window.srma.get('/api/dedup');
    if (at >= data.pairs.length) at = Math.max(0, data.pairs.length - 1);
    draw();
  }
  document.addEventListener('keydown', (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || !data) return;
    if (ev.key === 'd') verdict('duplicate');
    else if (ev.key === 'k') verdict('distinct');
    else if (ev.key === 's' || ev.key === 'ArrowRight') move(1);
    else if (ev.key === 'ArrowLeft') move(-1);
    else return;
    ev.preventDefault();
  });
  await load();
})();
