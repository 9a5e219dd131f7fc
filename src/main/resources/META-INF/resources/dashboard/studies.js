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

  // the studies list a page at a time, newest first; anchors: the 'after' id each page was read from (0 = first)
  const SIZE = 25;
  const anchors = [0];
  let timer = null;

  async function load() {
    clearTimeout(timer);
    const status = document.getElementById('status');
    const after = anchors[anchors.length - 1];
    let rows, total;
    try {
      const answer = await Chorus.request('/api/dashboard/studies?size=' + SIZE + (after ? '&after=' + after : ''));
      rows = answer.body;
      total = Number(answer.headers.get('X-Total-Count'));
    } catch (e) {
      status.textContent = 'Could not load the studies: ' + Chorus.problemText(e);
      status.className = 'message error';
      timer = setTimeout(load, REFRESH_MS);
      return;
    }
    if (rows.length === 0 && anchors.length > 1) {
      anchors.length = 1; // the page emptied (its studies went): back to the first
      return load();
    }
    status.className = 'muted';
    const host = document.getElementById('studies');
    if (rows.length === 0) {
      status.replaceChildren('No studies yet. ', el('a', {href: '/new'}, 'Create one'),
        ' from a search-space file.');
      host.replaceChildren();
    } else {
      const pages = Math.max(1, Math.ceil(total / SIZE));
      status.textContent = total + (total === 1 ? ' study' : ' studies') + ', newest first'
        + (pages > 1 ? ' · page ' + anchors.length + ' of ' + pages : '') + '.';
      const last = rows[rows.length - 1].study.id;
      host.replaceChildren(el('table', {class: 'table', id: 'studies-table'},
        el('thead', {}, el('tr', {},
          ['Id', 'Name', 'State', 'Trials', 'Time budget', 'Best first-run Δm (val.)', 'Hypervolume (% of box)',
            'Models (recommended)']
            .map((h, i) => el('th', {class: [0, 5, 6, 7].includes(i) ? 'num' : null}, h)))),
        el('tbody', {}, rows.map(row))),
        pages > 1 ? el('div', {class: 'inline'},
          el('button', {type: 'button', id: 'studies-prev', disabled: anchors.length === 1,
                        onclick: () => { anchors.pop(); load(); }}, '‹ Newer'),
          el('button', {type: 'button', id: 'studies-next', disabled: anchors.length >= pages,
                        onclick: () => { anchors.push(last); load(); }}, 'Older ›')) : null);
    }
    if (rows.some(r => !Chorus.FINISHED.includes(r.study.state))) {
      timer = setTimeout(load, REFRESH_MS);
    }
  }

  load();
})();
