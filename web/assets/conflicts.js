// The adjudicator's page: each record in conflict with every reviewer's vote, the adjudicator's
// decision with one key (POST /api/adjudicate), and Cohen's kappa per reviewer pair.
'use strict';
(async function () {
  const { el, message } = window.srma;
  const me = await window.srma.ready;
  const box = document.getElementById('conflict');
  const actions = document.getElementById('conflict-actions');
  const heading = document.getElementById('conflict-heading');
  if (me.role !== 'adjudicator') {
    box.textContent = 'Only the adjudicator sees the conflicts (reviewers stay blind to each other).';
    return;
  }
  let stage = 'title';
  let data = null;
  let at = 0;
  let picking = false;
  const fmt = (x) => (x === null || x === undefined ? '—' : Number(x).toFixed(2));

  function drawAgreement() {
    const t = document.getElementById('agreement');
    t.replaceChildren(el('tr', {}, ['Reviewers', 'Records both screened', 'Agreement', "Cohen's κ", '95% CI', 'Strength']
      .map((h) => el('th', { text: h }))));
    for (const p of data.agreement) {
      t.appendChild(el('tr', {}, [
        el('td', { text: `${p.first} · ${p.second}` }), el('td', { text: p.n ?? 0 }),
        el('td', { text: p.observed === undefined ? '—' : (100 * p.observed).toFixed(1) + '%' }),
        el('td', { class: 'kappa', text: fmt(p.kappa) }),
        el('td', { text: p.kappa_lower === undefined || p.kappa_lower === null ? '—' : `${fmt(p.kappa_lower)} to ${fmt(p.kappa_upper)}` }),
        el('td', { text: p.strength || '—' })]));
    }
  }

  function open() { return data.conflicts.filter((c) => c.outcome === 'conflict'); }

  function draw() {
    const list = open();
    heading.textContent = `Conflicts: ${list.length} to settle` +
      (data.conflicts.length > list.length ? `, ${data.conflicts.length - list.length} settled` : '');
    box.replaceChildren();
    actions.replaceChildren();
    if (at >= list.length) at = Math.max(0, list.length - 1);
    const c = list[at];
    if (!c) { box.textContent = 'No conflicts at this stage.'; return; }
    const votes = el('ul', { class: 'votes' });
    for (const v of c.votes) {
      votes.appendChild(el('li', { class: v.vote, text: `${v.reviewer}: ${v.vote}${v.reason ? ' (' + v.reason + ')' : ''}` }));
    }
    box.append(el('div', { class: 'muted', text: `${c.label} · record ${c.record} · conflict ${at + 1} of ${list.length}` }),
      el('h1', { class: 'title', text: c.title || '(no title)' }),
      el('div', { class: 'meta', text: [c.authors, c.journal, c.year].filter(Boolean).join(' · ') }),
      votes, el('p', { class: 'abstract', text: c.abstract || '' }));
    const b = (cls, label, key, fn) => el('button', { type: 'button', class: cls, onclick: fn }, [label + ' ', el('kbd', { text: key })]);
    actions.append(b('include', 'Include', 'i', () => decide('include')), b('exclude', 'Exclude', 'e', () => exclude()));
    if (stage === 'fulltext') actions.append(b('maybe', 'Unavailable', 'a', () => decide('unavailable')));
  }

  function exclude() {
    if (stage === 'title') return decide('exclude');
    picking = true;
    actions.replaceChildren(el('span', { text: 'Reason:' }));
    data.reasons.forEach((r, i) => actions.appendChild(el('button', { type: 'button', onclick: () => decide('exclude', r) },
      [el('kbd', { text: String(i + 1) }), ' ' + r])));
  }

  async function decide(v, reason) {
    const c = open()[at];
    if (!c) return;
    picking = false;
    try {
      await window.srma.post('/api/adjudicate', { stage, record: c.record, vote: v, reason: reason || '' });
      message(`Adjudicated: ${v} for record ${c.record}`);
      await load();
    } catch (e) { message(e.message, 'error'); }
  }

  async function load() {
    data = await window.srma.get(`/api/conflicts?stage=${stage}`);
    drawAgreement();
    draw();
  }

  async function setStage(s) {
    stage = s;
    at = 0;
    document.getElementById('stage-title').setAttribute('aria-pressed', String(s === 'title'));
    document.getElementById('stage-fulltext').setAttribute('aria-pressed', String(s === 'fulltext'));
    await load();
  }
  document.getElementById('stage-title').addEventListener('click', () => setStage('title'));
  document.getElementById('stage-fulltext').addEventListener('click', () => setStage('fulltext'));
  document.addEventListener('keydown', (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || !data) return;
    if (picking && /^[1-9]$/.test(ev.key)) {
      const r = data.reasons[Number(ev.key) - 1];
      if (r) decide('exclude', r);
      return;
    }
    if (ev.key === 'i') decide('include');
    else if (ev.key === 'e') exclude();
    else if (ev.key === 'a' && stage === 'fulltext') decide('unavailable');
    else if (ev.key === 'ArrowRight') { at = Math.min(at + 1, open().length - 1); draw(); }
    else if (ev.key === 'ArrowLeft') { at = Math.max(at - 1, 0); draw(); }
    else return;
    ev.preventDefault();
  });
  await setStage('title');
})();
