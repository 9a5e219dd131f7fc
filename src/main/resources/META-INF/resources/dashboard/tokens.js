'use strict';
/* The tokens page (admins): list, create (the secret is shown once), revoke. */
(() => {
  const {api, el, time, message, problemText} = Chorus;

  function row(token) {
    const revoke = token.revokedAt ? el('span', {class: 'muted'}, 'revoked ' + time(token.revokedAt))
      : el('button', {type: 'button', class: 'danger', onclick: async () => {
          if (!confirm('Revoke "' + token.name + '"? Requests with it are refused from now on.')) return;
          try {
            await api('/api/tokens/' + token.id, {method: 'DELETE'});
            load();
          } catch (e) {
            message(problemText(e), true);
          }
        }}, 'Revoke');
    return el('tr', {'data-token': token.id},
      el('td', {}, token.name), el('td', {}, el('span', {class: 'badge'}, token.role)),
      el('td', {}, el('code', {}, token.prefix + '…')), el('td', {}, token.createdBy),
      el('td', {}, time(token.createdAt)), el('td', {}, token.lastUsedAt ? time(token.lastUsedAt) : 'never'),
      el('td', {}, revoke));
  }

  async function load() {
    const status = document.getElementById('status');
    try {
      const tokens = await api('/api/tokens');
      status.textContent = tokens.length ? '' : 'No tokens yet.';
      const table = el('table', {class: 'trials'},
        el('thead', {}, el('tr', {}, ['Name', 'Role', 'Token', 'Created by', 'Created', 'Last used', ''].map(h => el('th', {}, h)))),
        el('tbody', {}, tokens.map(row)));
      document.getElementById('tokens').replaceChildren(table);
    } catch (e) {
      status.textContent = problemText(e);
    }
  }

  document.getElementById('new-token').addEventListener('submit', async event => {
    event.preventDefault();
    const form = event.target;
    try {
      const created = await api('/api/tokens', {method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({name: form.elements.name.value, role: form.elements.role.value})});
      document.getElementById('created-secret').textContent = created.token;
      document.getElementById('created').hidden = false;
      form.reset();
      load();
    } catch (e) {
      message(problemText(e), true);
    }
  });

  load();
})();
