'use strict';
/* The study page: progress, charts and trials, followed live through server-sent events; steering and candidates. */
(() => {
  const {api, el, pct, signClass, shareBound, duration, badge, bar, card, message} = Chorus;
  const studyId = Number(location.pathname.split('/').pop());
  const WEIGHTINGS = ['equal', 'fixed', 'uncertainty', 'dwa', 'rlw', 'gradnorm', 'pcgrad', 'mgda-ub', 'cagrad', 'famo',
                      'imtl', 'aligned-mtl', 'nash-mtl'];
  const ACTION_LABELS = {start: 'Start', pause: 'Pause', cancel: 'Cancel'};
  // shown: the state and counts the page shows; latest: those of the last progress event; actionsShown: the
  // state and actions whose badge and buttons are drawn
  let overview = null, table = null, deadline = null, events = null, refreshing = null, shown = null, latest = null,
    actionsShown = null;

  // ECharts and the charts' script come after this one (so that the data is asked for while they are parsed):
  // the charts are drawn once the document, and so they, are in
  const parsed = new Promise(resolve => document.readyState === 'loading'
    ? document.addEventListener('DOMContentLoaded', resolve, {once: true}) : resolve());

  for (const format of ['html', 'pdf', 'csv', 'json']) {
    document.getElementById('export-' + format).href = '/api/studies/' + studyId + '/report?format=' + format;
  }

  function summary(row, recommendation) {
    const s = row.study;
    const rec = recommendation && recommendation.fewestModels;
    const timeCard = row.secondsLeft === null
      ? card('Time budget', s.startedAt ? 'ended' : duration(s.maxWallClockSeconds))
      : el('div', {class: 'card'}, el('div', {class: 'label'}, 'Time budget'),
          bar(s.maxWallClockSeconds - row.secondsLeft, s.maxWallClockSeconds, '', 'time'),
          el('div', {class: 'value', id: 'time-left'}, duration(row.secondsLeft) + ' left'));
    document.getElementById('summary').replaceChildren(
      el('div', {class: 'card'}, el('div', {class: 'label'}, 'Trials'),
        bar(s.finishedTrials, s.maxTrials, ''),
        el('div', {class: 'value', id: 'trials-done'}, s.finishedTrials + ' of ' + s.maxTrials),
        el('div', {class: 'bar-label'}, row.trials.running + ' running · ' + row.trials.waiting + ' waiting · '
          + row.trials.failed + ' failed · ' + row.trials.pruned + ' pruned')),
      timeCard,
      card((recommendation && recommendation.trainSeparately ? 'Cited by the answer' : 'Recommended')
          + ': gain from sharing, held-out test Δm vs tuned references' + (rec ? ' (trial ' + rec.number + ')' : ''),
        rec ? interval(rec.sharing.testDeltaM) : '—', rec ? signClass(rec.sharing.testDeltaM.mean) : ''),
      // what training every task alone with its reference's settings buys: the answer's figure when it says so
      card('Gain from tuning: held-out test Δm of the references vs fixed baselines', !recommendation ? '—'
        : recommendation.tuning ? interval(recommendation.tuning.testDeltaM) : '0 (every reference is the baseline)',
        recommendation && recommendation.tuning ? signClass(recommendation.tuning.testDeltaM.mean) : ''),
      card('Hypervolume (% of reference box)', shareBound(row.hypervolumeShare, row.hypervolumeBound)),
      card('Models (recommended)', row.recommendedModels === null ? '—' : row.recommendedModels),
      card('Sampler · seed', s.sampler + ' · ' + s.seed));
    deadline = row.secondsLeft === null || s.state !== 'running' ? null : Date.now() + row.secondsLeft * 1000;
  }

  /** A mean with its 95 % interval and runs, or the note that one run has none. */
  function interval(i) {
    if (!i) return '—';
    return pct(i.mean) + (i.low === null ? ' (1 run, no interval)'
      : ' [' + pct(i.low) + ', ' + pct(i.high) + '], ' + i.runs + ' runs');
  }

  /** Each task's tuned reference and gain from tuning, beside the recommendation's gain from sharing. */
  function references(o) {
    const rec = o.recommendation && o.recommendation.fewestModels;
    const rows = (o.front.references || []).map(r => el('tr', {},
      el('td', {}, r.task),
      el('td', {}, r.trialId === null ? 'fixed baseline (no singleton beat it on validation)'
        : el('a', {href: '/trials/' + r.trialId}, 'trial ' + r.trialNumber + ' (alone)')),
      el('td', {class: r.tuning ? signClass(r.tuning.test.mean) : ''}, r.tuning ? interval(r.tuning.test) : '0 (is the baseline)'),
      el('td', {class: rec ? signClass(rec.sharing.tasks[r.task].test.mean) : ''},
        rec ? interval(rec.sharing.tasks[r.task].test) : '—')));
    // Δm over the tasks: what the references buy together over the fixed baselines, and what sharing adds
    const tuning = o.front.tuning;
    if (rows.length) rows.push(el('tr', {class: 'delta-m'}, el('td', {}, el('b', {}, 'Δm')), el('td', {}),
      el('td', {class: tuning ? signClass(tuning.testDeltaM.mean) : ''},
        tuning ? interval(tuning.testDeltaM) : '0 (every reference is the baseline)'),
      el('td', {class: rec ? signClass(rec.sharing.testDeltaM.mean) : ''},
        rec ? interval(rec.sharing.testDeltaM) : '—')));
    document.getElementById('references').hidden = rows.length === 0;
    document.getElementById('references-body').replaceChildren(...rows);
  }

  /** The stability check of the recommendation: each variant against it, paired run for run. */
  function stability(o) {
    const s = o.stability;
    document.getElementById('stability').hidden = !s || s.status === 'none';
    if (!s) return;
    document.getElementById('stability-summary').textContent = s.summary;
    document.getElementById('stability-table').hidden = s.variants.length === 0;
    document.getElementById('stability-body').replaceChildren(...s.variants.map(v => el('tr', {},
      el('td', {}, v.change),
      el('td', {class: v.testDeltaM ? signClass(v.testDeltaM.mean) : ''}, interval(v.testDeltaM)),
      el('td', {class: v.significant ? signClass(v.difference.mean) : 'muted'},
        v.difference ? interval(v.difference).replaceAll(' %', '') + (v.significant ? '' : ' (n.s.)') : '—'),
      el('td', {}, v.runs + ' of ' + v.planned + ' · trials ' + v.trials.join(', ')))));
  }

  function head(row) {
    const s = row.study;
    document.title = s.name + ' · Chorus';
    document.getElementById('title').textContent = 'Study ' + s.id + ': ' + s.name;
    // the state and its buttons are redrawn only when they change: a live page refreshes as trials finish, and
    // a button replaced between a person's press and release would swallow the click
    const actionsNow = s.state + ':' + row.actions.join(',');
    if (actionsNow !== actionsShown) {
      actionsShown = actionsNow;
      document.getElementById('state').replaceChildren(badge(s.state));
      document.getElementById('actions').replaceChildren(...row.actions.map(a =>
        el('button', {type: 'button', id: 'action-' + a, class: a === 'cancel' ? 'danger' : null,
                      onclick: () => act(a)}, a === 'start' && s.state === 'paused' ? 'Resume' : ACTION_LABELS[a])));
    }
    if (s.error) message('The study failed: ' + s.error, true);
  }

  async function act(action) {
    if (action === 'cancel' && !confirm('Cancel this study for good? Its waiting trials are failed.')) return;
    try {
      await api('/api/studies/' + studyId + '/' + action, {method: 'POST'});
      message(null);
    } catch (e) {
      message(e, true);
    }
    refresh();
  }

  // Charts out of view are drawn after the page is, one per idle moment, so that what is on screen comes first
  // (each chart costs ECharts tens of milliseconds on a small machine); a later draw of the same chart replaces a
  // pending one. 'study-charts-all' marks when the first drawing's last chart is in.
  const pending = new Map();
  let draining = false;
  const idle = f => window.requestIdleCallback ? requestIdleCallback(f, {timeout: 100}) : setTimeout(f, 0);
  // the first drawing's steps, by the page's own clock (DashboardScaleBench reads them): each marked once
  const markOnce = name => { if (performance.getEntriesByName(name).length === 0) performance.mark(name); };

  function draw(id, paint) {
    const box = document.getElementById(id).getBoundingClientRect();
    if (box.bottom > 0 && box.top < window.innerHeight) {
      pending.delete(id);
      paint();
      return;
    }
    pending.set(id, paint);
    if (!draining) {
      draining = true;
      idle(drain);
    }
  }

  function drain() {
    const next = pending.entries().next();
    if (next.done) {
      draining = false;
      markOnce('study-charts-all');
      return;
    }
    const [id, paint] = next.value;
    pending.delete(id);
    paint();
    idle(drain);
  }

  function charts(o) {
    const tasks = o.row.study.tasks;
    const empty = o.front.members.length === 0;
    document.getElementById('front-empty').hidden = !empty;
    document.getElementById('front').hidden = empty;
    const rec = o.recommendation && o.recommendation.fewestModels;
    document.getElementById('task-dm').hidden = !rec;
    if (!empty) {
      const x = document.getElementById('pair-x'), y = document.getElementById('pair-y');
      const pick = m => { location.href = '/trials/' + m.trialId; };
      draw('chart-dm', () => StudyCharts.intervals(o.front));
      draw('chart-pair', () => StudyCharts.pair(o.front, tasks, tasks[x.selectedIndex], tasks[y.selectedIndex], pick));
      draw('chart-parallel', () => StudyCharts.parallel(o.front, tasks));
      draw('chart-deltas', () => StudyCharts.deltas(o.front, tasks));
    }
    if (rec) {
      document.getElementById('task-dm-title').textContent = 'Per-task Δ of '
        + (o.recommendation.trainSeparately ? 'the front member the answer cites' : 'the recommended configuration')
        + ' (trial ' + rec.number + ') over its runs: mean and 95 % interval';
      draw('chart-task-dm', () => StudyCharts.taskIntervals(rec, tasks));
    }
    document.getElementById('answer').textContent = o.recommendation ? 'Answer: ' + o.recommendation.verdict : '';
    references(o);
    stability(o);
    const hvEmpty = document.getElementById('hv-empty');
    hvEmpty.hidden = o.hypervolume.history.length > 0;
    hvEmpty.textContent = o.hypervolume.method.startsWith('not computed') ? 'Hypervolume ' + o.hypervolume.method
      : 'No complete trial yet.';
    document.getElementById('chart-hv').hidden = !hvEmpty.hidden;
    if (hvEmpty.hidden) draw('chart-hv', () => StudyCharts.hypervolume(o.hypervolume));
    const missing = document.getElementById('affinity-missing');
    missing.hidden = o.affinity !== null;
    missing.textContent = o.affinityMissing ? 'No task affinity: ' + o.affinityMissing + '.' : '';
    document.getElementById('chart-affinity').hidden = o.affinity === null;
    if (o.affinity) draw('chart-affinity', () => StudyCharts.affinity(o.affinity));
    if (!draining) markOnce('study-charts-all');
  }

  function pairSelects(tasks) {
    const x = document.getElementById('pair-x'), y = document.getElementById('pair-y');
    x.replaceChildren(...tasks.map(t => el('option', {}, t.name)));
    y.replaceChildren(...tasks.map(t => el('option', {}, t.name)));
    y.selectedIndex = Math.min(1, tasks.length - 1);
    const redraw = () => overview && charts(overview);
    x.addEventListener('change', redraw);
    y.addEventListener('change', redraw);
  }

  async function load() {
    const data = api('/api/dashboard/studies/' + studyId);
    if (table === null) {
      // the first page of trials is read beside the page's data, not after it
      table = TrialsTable.create(studyId, data.then(o => o.row.study.tasks.map(t => t.name)));
    }
    const rows = table.reload();
    const o = await data;
    await parsed;
    markOnce('study-data');
    shown = key(o.row.study.state, o.row.trials);
    if (overview === null) {
      pairSelects(o.row.study.tasks);
    }
    overview = o;
    head(o.row);
    summary(o.row, o.recommendation);
    charts(o);
    markOnce('study-charts');
    await rows;
    // when the page was first drawn, by its own clock (DashboardScaleBench reads it)
    markOnce('study-drawn');
  }

  /** What a progress event changes: the page reloads only when this differs from what it shows. */
  function key(state, trials) {
    return JSON.stringify([state, trials]);
  }

  /** Reloads the page's data; calls that arrive while one runs are folded into one more. */
  function refresh() {
    if (refreshing) {
      refreshing.again = true;
      return;
    }
    refreshing = {again: false};
    load().then(() => true, e => {
      message(e.status === 404 ? e.message + '.' : e, true);
      return false;
    }).then(loaded => {
      // an event that came while the page loaded asks for more only if the page does not show it already
      const again = refreshing.again || (loaded && latest !== null && latest !== shown);
      refreshing = null;
      if (again) refresh();
    });
  }

  function follow() {
    const live = document.getElementById('live');
    events = new EventSource('/api/studies/' + studyId + '/events');
    events.onmessage = e => {
      const progress = JSON.parse(e.data);
      live.className = 'live on';
      live.textContent = 'live · ' + progress.finished + ' of ' + progress.total + ' trials finished · '
        + new Date().toLocaleTimeString();
      latest = key(progress.state, progress.trials);
      if (latest !== shown && !refreshing) refresh();
      if (Chorus.FINISHED.includes(progress.state)) {
        events.close();
        live.className = 'live';
        live.textContent = 'study ' + progress.state + ' · no more updates';
      }
    };
    events.onerror = () => {
      live.className = 'live';
      // CLOSED: the server refused to reconnect (the session ended or its token was revoked)
      live.textContent = events.readyState === EventSource.CLOSED
        ? 'no more updates · reload the page (you may have to sign in again)' : 'reconnecting…';
    };
  }

  function candidateForm() {
    const weighting = document.getElementById('cand-weighting');
    weighting.replaceChildren(el('option', {value: ''}, 'study default'), ...WEIGHTINGS.map(w => el('option', {}, w)));
    document.getElementById('candidate').addEventListener('submit', async e => {
      e.preventDefault();
      const out = document.getElementById('cand-result');
      const groups = document.getElementById('cand-groups').value.split('|')
        .map(g => g.split(/[\s,]+/).filter(Boolean)).filter(g => g.length);
      const body = {groups: groups};
      if (weighting.value) body.weighting = weighting.value;
      try {
        const trial = await api('/api/studies/' + studyId + '/trials', {method: 'POST',
          headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
        out.replaceChildren(el('p', {class: 'message'}, 'Added ',
          el('a', {href: '/trials/' + trial.id}, 'trial ' + trial.number), ' (' + trial.state + ').'));
        refresh();
      } catch (err) {
        out.replaceChildren(el('div', {class: 'message error'}, err.message,
          err.problems.length ? el('ul', {}, err.problems.map(p => el('li', {}, p))) : null));
      }
    });
  }

  setInterval(() => {
    const left = document.getElementById('time-left');
    if (deadline && left) left.textContent = duration((deadline - Date.now()) / 1000) + ' left';
  }, 1000);
  candidateForm();
  refresh();
  follow();
})();
