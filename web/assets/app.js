// srma serve: the shared script of every page (nav, sign-in state, CSRF token, safe DOM helpers).
//
// How a page joins (analysis.html included):
//   <header id="srma-nav"></header> somewhere in <body>, then
//   <script src="/assets/app.js" defer></script> before the page's own deferred script.
//   app.js fills the nav (links to every page, the reviewer's name, sign out) and resolves
//   `srma.ready`, a Promise of {name, role, csrf, title} from GET /api/me; without a session it
//   sends the browser to /signin instead.
//   srma.get(url) and srma.post(url, body) return parsed JSON; post() sends the session's CSRF
//   token in the X-CSRF-Token header, which every POST needs. A failed call throws an Error
//   whose .id is the srma error id (srma.web.E950 ...) and .status the HTTP status.
//   srma.el(tag, props, children) builds elements: text goes in through textContent only, never
//   innerHTML (record titles are untrusted: `<script>` in a title must show as text).
//   srma.highlight(parent, text, keywords) appends text with keywords in <mark> elements.
//   The Content-Security-Policy is default-src 'self': no inline script or style, nothing
//   fetched from elsewhere.
'use strict';
(function () {
  const state = { me: null };

  function el(tag, props, children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === undefined || v === null) continue;
      if (k === 'text') e.textContent = String(v);
      else if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (k === 'value') e.value = v;
      else if (k === 'checked' || k === 'disabled' || k === 'selected') e[k] = !!v;
      else e.setAttribute(k, String(v));
    }
    for (const c of children || []) {
      if (c === null || c === undefined) continue;
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return e;
  }

  async function call(method, url, body) {
    const headers = { 'Accept': 'application/json' };
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      if (state.me) headers['X-CSRF-Token'] = state.me.csrf;
    }
    const res = await fetch(url, {
      method, headers, credentials: 'same-origin',
      body: method === 'GET' ? undefined : JSON.stringify(body || {}),
    });
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    if (!res.ok) {
      const err = new Error((data && data.error && data.error.message) || res.statusText);
      err.id = data && data.error && data.error.id;
      err.status = res.status;
      throw err;
    }
    return data;
  }

  function escapeRegExp(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }

  // Appends `text` to `parent`, each keyword (case ignored) in a <mark class="kw-include"> or
  // <mark class="kw-exclude">; everything through text nodes.
  function highlight(parent, text, keywords) {
    text = text || '';
    const words = [];
    for (const w of (keywords && keywords.include) || []) words.push([w, 'kw-include']);
    for (const w of (keywords && keywords.exclude) || []) words.push([w, 'kw-exclude']);
    if (!words.length) { parent.appendChild(document.createTextNode(text)); return; }
    words.sort((a, b) => b[0].length - a[0].length);
    const re = new RegExp('(' + words.map((w) => escapeRegExp(w[0])).join('|') + ')', 'gi');
    let last = 0;
    for (const m of text.matchAll(re)) {
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      const hit = words.find((w) => w[0].toLowerCase() === m[0].toLowerCase());
      parent.appendChild(el('mark', { class: hit ? hit[1] : 'kw-include', text: m[0] }));
      last = m.index + m[0].length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  const pages = [
    ['/screen', 'Screening'], ['/conflicts', 'Conflicts'], ['/dedup', 'Duplicates'],
    ['/extract', 'Extraction'], ['/analysis', 'Analysis'],
  ];

  function drawNav() {
    const nav = document.getElementById('srma-nav');
    if (!nav) return;
    nav.replaceChildren();
    const links = el('nav', { 'aria-label': 'pages' });
    for (const [href, label] of pages) {
      if (href === '/conflicts' && state.me.role !== 'adjudicator') continue;
      const a = el('a', { href, text: label });
      if (location.pathname === href) a.setAttribute('aria-current', 'page');
      links.appendChild(a);
    }
    const out = el('button', { type: 'button', class: 'link', text: 'Sign out', onclick: async () => {
      await call('POST', '/api/signout', {});
      location.href = '/signin';
    } });
    nav.append(
      el('span', { class: 'brand', text: 'srma' }),
      el('span', { class: 'project', text: state.me.title || '' }),
      links,
      el('span', { class: 'who', text: state.me.name + (state.me.role === 'adjudicator' ? ' (adjudicator)' : '') }),
      out);
  }

  const ready = (async () => {
    try {
      state.me = await call('GET', '/api/me');
    } catch (e) {
      if (e.status === 401) location.href = '/signin';
      throw e;
    }
    if (document.readyState === 'loading') {
      await new Promise((r) => document.addEventListener('DOMContentLoaded', r, { once: true }));
    }
    drawNav();
    return state.me;
  })();

  function message(text, kind) {
    let box = document.getElementById('srma-message');
    if (!box) {
      box = el('div', { id: 'srma-message', role: 'status', 'aria-live': 'polite' });
      document.body.appendChild(box);
    }
    box.className = kind || 'info';
    box.textContent = text || '';
  }

  window.srma = {
    ready, el, highlight, message,
    get: (url) => call('GET', url),
    post: (url, body) => call('POST', url, body),
  };
})();
