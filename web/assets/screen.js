// The screening page: one record at a time from the reviewer's own queue (GET /api/queue),
// decisions with one key each (POST /api/vote, committed before the page moves on), undo, and
// the counts per stage (GET /api/status). Record text goes in through textContent only.
'use strict';
(async function () {
  const { el, highlight, message } = window.srma;
  await window.srma.ready;
  const ui = {
    record: document.getElementById('record'), actions: document.getElementById('actions'),
    counts: document.getElementById('counts'), progress: document.getElementById('progress'),
    info: document.getElementById('queue-info'), reasons: document.getElementById('reason-box'),
    kwList: document.getElementById('keyword-list'),
  };
  let stage = 'title';
  let queue = [];
  let at = 0;
  let remaining = 0;
  let history = [];  // {item, stage} of this session's decisions, newest last
  let status = null;
  // Keys pressed while a decision is on its way wait for it: none is dropped, and each acts on
  // the record shown after the previous one was confirmed.
  let chain = Promise.resolve();
  const after = (fn) => (...args) => { chain = chain.then(() => fn(...args)).catch(() => {}); return chain; };

  async function loadStatus() {
    status = await window.srma.get('/api/status');
    const s = status.stages.find((x) => x.stage === stage);
    ui.counts.replaceChildren();
    for (const x of status.stages) {
      const name = x.stage === 'title' ? 'Title/abstract' : 'Full text';
      ui.counts.appendChild(el('span', {}, [el('b', { text: name + ':' }),
        ` ${x.records} records · ${x.include} included · ${x.exclude} excluded · ` +
        `${x.pending} awaiting a second reviewer · ${x.conflict} in conflict · ${x.unscreened} unscreened`]));
    }
    const decided = s.include + s.exclude + s.unavailable;
    ui.progress.max = Math.max(1, s.records);
    ui.progress.value = decided;
    ui.progress.setAttribute('aria-label', `${decided} of ${s.records} decided at this stage`);
    drawKeywords();
  }

  function drawKeywords() {
    ui.kwList.replaceChildren();
    for (const kind of ['include', 'exclude']) {
      for (const w of status.keywords[kind]) {
        ui.kwList.appendChild(el('li', { class: kind }, [w, ' ', el('button', {
          type: 'button', class: 'link', 'aria-label': `remove ${w}`, text: '×',
          onclick: () => changeKeyword(w, kind, 'remove'),
        })]));
      }
    }
  }

  async function changeKeyword(word, list, action) {
    try {
      const r = await window.srma.post('/api/keywords', { word, list, action });
      status.keywords = r.keywords;
      drawKeywords();
      draw();
    } catch (e) { message(e.message, 'error'); }
  }

  async function loadQueue() {
    try {
      const q = await window.srma.get(`/api/queue?stage=${stage}&limit=200`);
      queue = q.items;
      remaining = q.remaining;
      at = 0;
    } catch (e) {
      queue = [];
      remaining = 0;
      message(e.message, 'error');
    }
    draw();
  }

  function draw() {
    ui.record.replaceChildren();
    ui.reasons.hidden = true;
    const item = queue[at];
    ui.info.textContent = remaining
      ? `Record ${at + 1} of ${queue.length} loaded · ${remaining} left for you at this stage`
      : 'Nothing left for you to screen at this stage.';
    drawActions(!!item);
    if (!item) return;
    const kw = status && status.keywords;
    const title = el('h1', { class: 'title', id: 'record-title' });
    highlight(title, item.title || '(no title)', kw);
    const meta = el('div', { class: 'meta' });
    meta.textContent = [item.authors, item.journal, item.year].filter(Boolean).join(' · ');
    const abs = el('p', { class: 'abstract', id: 'record-abstract' });
    highlight(abs, item.abstract || '(no abstract)', kw);
    ui.record.append(el('div', { class: 'muted', text: `${item.label} · record ${item.record}` }), title, meta, abs);
  }

  function drawActions(active) {
    ui.actions.replaceChildren();
    const b = (cls, label, key, fn) => el('button', { type: 'button', class: cls, disabled: !active,
      onclick: fn }, [label + ' ', el('kbd', { text: key })]);
    ui.actions.append(b('include', 'Include', 'i', () => act.vote('include')),
                      b('exclude', 'Exclude', 'e', () => act.exclude()));
    if (stage === 'title') ui.actions.append(b('maybe', 'Maybe', 'm', () => act.vote('maybe')));
    else ui.actions.append(b('maybe', 'Unavailable', 'a', () => act.vote('unavailable')));
    ui.actions.append(
      el('button', { type: 'button', disabled: at === 0, onclick: () => act.move(-1) }, ['Previous ', el('kbd', { text: '←' })]),
      el('button', { type: 'button', disabled: at + 1 >= queue.length, onclick: () => act.move(1) }, ['Next ', el('kbd', { text: '→' })]),
      el('button', { type: 'button', disabled: !history.length, onclick: () => act.undo() }, ['Undo ', el('kbd', { text: 'u' })]));
  }

  function exclude() {
    if (stage === 'title') return vote('exclude');
    ui.reasons.replaceChildren(el('p', { text: 'Reason for excluding (press its number):' }));
    status.reasons.forEach((r, i) => ui.reasons.appendChild(el('button', {
      type: 'button', onclick: () => act.vote('exclude', r) }, [el('kbd', { text: String(i + 1) }), ' ' + r])));
    ui.reasons.hidden = false;
    const first = ui.reasons.querySelector('button');
    if (first) first.focus();
  }

  async function vote(v, reason) {
    const item = queue[at];
    if (!item) return;
    try {
      await window.srma.post('/api/vote', { stage, record: item.record, vote: v, reason: reason || '' });
      history.push({ item, stage, vote: v });
      queue.splice(at, 1);
      remaining -= 1;
      if (at >= queue.length) at = Math.max(0, queue.length - 1);
      message(`Recorded: ${v}${reason ? ' (' + reason + ')' : ''} for record ${item.record}`);
      if (!queue.length && remaining > 0) await loadQueue();
      draw();
      loadStatus();
    } catch (e) {
      message(e.message, 'error');
    }
  }

  async function undo() {
    const last = history[history.length - 1];
    if (!last) return;
    try {
      await window.srma.post('/api/vote', { stage: last.stage, record: last.item.record, vote: 'undo' });
      history.pop();
      if (last.stage === stage) {
        queue.splice(at, 0, last.item);
        remaining += 1;
      }
      message(`Undone: your decision on record ${last.item.record}`);
      draw();
      loadStatus();
    } catch (e) {
      message(e.message, 'error');
    }
  }

  function move(d) {
    const to = at + d;
    if (to < 0 || to >= queue.length) return;
    at = to;
    draw();
  }

  const act = { vote: after(vote), undo: after(undo), move: after(move), exclude: after(exclude) };

  async function setStage(s) {
    stage = s;
    document.getElementById('stage-title').setAttribute('aria-pressed', String(s === 'title'));
    document.getElementById('stage-fulltext').setAttribute('aria-pressed', String(s === 'fulltext'));
    await loadStatus();
    await loadQueue();
  }

  document.getElementById('stage-title').addEventListener('click', () => setStage('title'));
  document.getElementById('stage-fulltext').addEventListener('click', () => setStage('fulltext'));
  document.getElementById('keyword-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const w = document.getElementById('keyword-word');
    if (w.value.trim()) changeKeyword(w.value.trim(), document.getElementById('keyword-kind').value, 'add');
    w.value = '';
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const t = ev.target;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
    if (!ui.reasons.hidden && /^[1-9]$/.test(ev.key)) {
      const r = status.reasons[Number(ev.key) - 1];
      if (r) { ev.preventDefault(); act.vote('exclude', r); }
      return;
    }
    const k = ev.key;
    if (k === 'i') act.vote('include');
    else if (k === 'e') act.exclude();
    else if (k === 'm' && stage === 'title') act.vote('maybe');
    else if (k === 'a' && stage === 'fulltext') act.vote('unavailable');
    else if (k === 'u') act.undo();
    else if (k === 'ArrowRight') act.move(1);
    else if (k === 'ArrowLeft') act.move(-1);
    else if (k === 'Escape') ui.reasons.hidden = true;
    else return;
    ev.preventDefault();
  });
  await setStage('title');
})();
