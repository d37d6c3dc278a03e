// The sign-in page: with a token link the server has already signed the reviewer in; here the
// person at the machine (server on 127.0.0.1 only) chooses a name, or is told to use their link.
'use strict';
(async function () {
  const why = document.getElementById('signin-why');
  const list = document.getElementById('signin-names');
  const help = document.getElementById('signin-help');
  if (new URLSearchParams(location.search).has('token')) {
    why.textContent = 'This sign-in link is not valid: it was used before or never issued. ' +
        'Ask for a new one (srma review reviewer add NAME).';
  }
  const res = await fetch('/api/signin', { headers: { 'Accept': 'application/json' } });
  const info = await res.json();
  if (!info.local) {
    help.textContent = 'Open the sign-in link you were given (printed by srma review reviewer add NAME).';
    return;
  }
  if (!info.reviewers.length) {
    help.textContent = 'No reviewers yet: add one with srma review reviewer add NAME.';
    return;
  }
  help.textContent = 'This server listens on this machine only: choose your name.';
  for (const r of info.reviewers) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = r.name + (r.role === 'adjudicator' ? ' (adjudicator)' : '');
    b.addEventListener('click', async () => {
      const out = await fetch('/api/signin', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: r.name }),
      });
      if (out.ok) location.href = '/screen';
      else why.textContent = ((await out.json()).error || {}).message || 'Sign-in refused.';
    });
    const li = document.createElement('li');
    li.appendChild(b);
    list.appendChild(li);
  }
  const first = list.querySelector('button');
  if (first) first.focus();
})();
