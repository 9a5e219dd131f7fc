'use strict';
/* The study page's trials table: sorted, filtered by state and paged by the server (GET /api/studies/{id}/trials);
   Next and Previous page by keyset (after / before a trial number), so a deep page costs what the first does. */
const TrialsTable = (() => {
  const {api, el, pct, signClass, badge, time, groupsText} = Chorus;
  const SIZE = 25;

  /**
   * Binds the table of study {@code studyId}; taskNames (an array, or a promise of one: the rows are
   * fetched meanwhile) come from the study. Returns {reload}.
   */
  function create(studyId, taskNames) {
    const names = Promise.resolve(taskNames);
    // anchor: {after: n} or {before: n}, the trial the shown page was read from; null on the first page
    const view = {page: 0, sort: '-number', state: '', anchor: null};
    let shown = [];
    const table = document.getElementById('trials');
    const info = document.getElementById('page-info');
    const prev = document.getElementById('page-prev');
    const next = document.getElementById('page-next');
    let total = 0;

    function headers() {
      for (const th of table.querySelectorAll('th[data-sort]')) {
        const key = th.dataset.sort;
        const arrow = view.sort === key ? ' ▲' : view.sort === '-' + key ? ' ▼' : '';
        th.textContent = th.textContent.replace(/ [▲▼]$/, '') + arrow;
        th.setAttribute('aria-sort', arrow ? (arrow === ' ▲' ? 'ascending' : 'descending') : 'none');
      }
    }

    function row(t, taskNames) {
      return el('tr', {'data-trial': t.number},
        el('td', {class: 'num'}, el('a', {href: '/trials/' + t.id}, t.number)),
        el('td', {}, badge(t.state)),
        el('td', {class: 'num'}, t.generation),
        el('td', {}, groupsText(t.candidate.groups, taskNames)),
        el('td', {class: 'num'}, Math.max(...t.candidate.groups) + 1),
        el('td', {}, t.candidate.weighting),
        el('td', {class: 'num ' + signClass(t.deltaM)}, pct(t.deltaM)),
        el('td', {class: 'num ' + signClass(t.testDeltaM)}, pct(t.testDeltaM)),
        el('td', {class: 'num'}, t.attempts),
        el('td', {}, time(t.finishedAt)),
        el('td', {class: 'error', title: t.error || ''}, t.error || ''));
    }

    async function reload() {
      const query = new URLSearchParams({size: SIZE, sort: view.sort});
      if (view.page > 0 && view.anchor) {
        for (const [k, v] of Object.entries(view.anchor)) query.set(k, v);
      }
      if (view.state) query.set('state', view.state);
      let page, taskNames;
      try {
        [page, taskNames] = await Promise.all([api('/api/studies/' + studyId + '/trials?' + query), names]);
      } catch (e) {
        info.textContent = 'Could not load the trials: ' + Chorus.problemText(e);
        return;
      }
      total = page.total;
      const pages = Math.max(1, Math.ceil(total / SIZE));
      if (view.page > 0 && (page.items.length === 0 || view.page >= pages)) {
        view.page = 0;  // the anchor's trial went, or the pages shrank: start again from the first
        view.anchor = null;
        return reload();
      }
      shown = page.items;
      table.tBodies[0].replaceChildren(...page.items.map(t => row(t, taskNames)));
      if (page.items.length === 0) {
        table.tBodies[0].replaceChildren(el('tr', {}, el('td', {colspan: 10, class: 'muted'},
          view.state ? 'No ' + view.state + ' trials.' : 'No trials yet.')));
      }
      info.textContent = 'Page ' + (view.page + 1) + ' of ' + pages + ' · ' + total
        + (view.state ? ' ' + view.state : '') + (total === 1 ? ' trial' : ' trials');
      prev.disabled = view.page === 0;
      next.disabled = view.page + 1 >= pages;
      headers();
    }

    for (const th of table.querySelectorAll('th[data-sort]')) {
      th.addEventListener('click', () => {
        const key = th.dataset.sort;
        view.sort = view.sort === '-' + key ? key : '-' + key;
        first();
      });
    }
    document.getElementById('filter-state').addEventListener('change', e => {
      view.state = e.target.value;
      first();
    });
    prev.addEventListener('click', () => {
      if (view.page === 0 || shown.length === 0) return;
      view.page -= 1;
      view.anchor = {before: shown[0].number};
      reload();
    });
    next.addEventListener('click', () => {
      if (shown.length === 0) return;
      view.page += 1;
      view.anchor = {after: shown[shown.length - 1].number};
      reload();
    });

    function first() {
      view.page = 0;
      view.anchor = null;
      reload();
    }
    return {reload};
  }

  return {create};
})();
