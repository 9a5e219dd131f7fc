'use strict';
/* The studies list: state, progress of the trial and time budgets, best Δm, hypervolume share, models. */
(() => {
  const {api, el, pct, signClass, shareBound, duration, badge, bar} = Chorus;
  const REFRESH_MS = 3000;

  function row(r) {
    const s = r.study;
    const running = r.trials.running, waiting = r.trials.waiting;
    const trialLabel = s.finishedTrials + ' of ' + s.maxTrials + ' trials'
      + (running ? ' · ' + running + ' running' : '') + (waiting ? ' · ' + waiting + ' waiting' : '');
    const time = r.secondsLeft === null
      ? el('span', {class: 'muted'}, s.startedAt ? 'ended' : 'not started · ' + duration(s.maxWallClockSeconds))
      : bar(s.maxWallClockSeconds - r.secondsLeft, s.maxWallClockSeconds, duration(r.secondsLeft) + ' left', 'time');
    return el('tr', {'data-study': s.id},
      el('td', {class: 'num'}, s.id),
      el('td', {}, el('a', {href: '/studies/' + s.id}, s.name)),
      el('td', {}, badge(s.state)),
      el('td', {}, bar(s.finishedTrials, s.maxTrials, trialLabel)),
      el('td', {}, time),
      el('td', {class: 'num ' + signClass(s.bestDeltaM)}, pct(s.bestDeltaM),
        s.bestTrial === null ? null : el('div', {class: 'bar-label'}, 'trial ' + s.bestTrial)),
      el('td', {class: 'num hv'}, shareBound(r.hypervolumeShare, r.hypervolumeBound)),
      el('td', {class: 'num'}, r.recommendedModels === null ? '—' : r.recommendedModels));
  }

  async function load() {
    const status = document.getElementById('status');
    let rows;
    try {
      rows = await api('/api/dashboard/studies');
    } catch (e) {
      status.textContent = 'Could not load the studies: ' + Chorus.problemText(e);
      status.className = 'message error';
      setTimeout(load, REFRESH_MS);
      return;
    }
    const host = document.getElementById('studies');
    if (rows.length === 0) {
      status.replaceChildren('No studies yet. ', el('a', {href: '/new'}, 'Create one'),
        ' from a search-space file.');
      host.replaceChildren();
    } else {
      status.textContent = rows.length + (rows.length === 1 ? ' study' : ' studies') + ', newest first.';
      host.replaceChildren(el('table', {class: 'table', id: 'studies-table'},
        el('thead', {}, el('tr', {},
          ['Id', 'Name', 'State', 'Trials', 'Time budget', 'Best first-run Δm (val.)', 'Hypervolume (% of box)',
            'Models (recommended)']
            .map((h, i) => el('th', {class: [0, 5, 6, 7].includes(i) ? 'num' : null}, h)))),
        el('tbody', {}, rows.map(row))));
    }
    if (rows.some(r => !Chorus.FINISHED.includes(r.study.state))) {
      setTimeout(load, REFRESH_MS);
    }
  }

  load();
})();
