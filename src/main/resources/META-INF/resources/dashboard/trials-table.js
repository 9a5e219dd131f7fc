'use strict';
/* The study page's trials table: sorted, filtered by state and paged by the server (GET /api/studies/{id}/trials). */
const TrialsTable = (() => {
  const {api, el, pct, signClass, badge, time, groupsText} = Chorus;
  const SIZE = 25;

  /** Binds the table of study {@code studyId}; taskNames come from the study. Returns {reload}. */
  function create(studyId, taskNames) {
    const view = {page: 0, sort: '-number', state: ''};
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

    function row(t) {
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
      const query = new URLSearchParams({page: view.page, size: SIZE, sort: view.sort});
      if (view.state) query.set('state', view.state);
      let page;
      try {
        page = await api('/api/studies/' + studyId + '/trials?' + query);
      } catch (e) {
        info.textContent = 'Could not load the trials: ' + Chorus.problemText(e);
        return;
      }
      total = page.total;
      const pages = Math.max(1, Math.ceil(total / SIZE));
      if (view.page >= pages && view.page > 0) {
        view.page = pages - 1;
        return reload();
      }
      table.tBodies[0].replaceChildren(...page.items.map(row));
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
        view.page = 0;
        reload();
      });
    }
    document.getElementById('filter-state').addEventListener('change', e => {
      view.state = e.target.value;
      view.page = 0;
      reload();
    });
    prev.addEventListener('click', () => { view.page = Math.max(0, view.page - 1); reload(); });
    next.addEventListener('click', () => { view.page += 1; reload(); });
    return {reload};
  }

  return {create};
})();
