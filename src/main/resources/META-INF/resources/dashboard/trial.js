'use strict';
/* The trial page: grouping, training settings, per-task results against the baselines, epoch curves, error. */
(() => {
  const {api, el, pct, signClass, num, duration, badge, card, time, groups, message} = Chorus;
  const trialId = Number(location.pathname.split('/').pop());

  function grouping(trial, tasks) {
    const names = tasks.map(t => t.name);
    const byTask = Object.fromEntries(trial.results.map(r => [r.task, r]));
    document.getElementById('groups').replaceChildren(...groups(trial.candidate.groups, names).map((g, i) =>
      el('div', {class: 'group', 'data-model': i + 1},
        el('div', {class: 'label'}, 'model ' + (i + 1) + ' · ' + g.length + (g.length === 1 ? ' task' : ' tasks')),
        g.map(task => el('span', {class: 'chip ' + (byTask[task] ? signClass(byTask[task].validation.delta) : ''),
          title: 'Δ on validation'}, task, byTask[task] ? ' ' + pct(byTask[task].validation.delta) : '')))));
  }

  function settings(trial, tasks) {
    const c = trial.candidate, s = c.settings;
    const rows = [['weighting', c.weighting], ['architecture', c.architecture], ['head depth', c.headDepth],
      ['experts', c.architecture === 'mmoe' ? c.experts : null], ['trunk width', s.trunkWidth],
      ['trunk depth', s.trunkDepth], ['learning rate', num(s.learningRate, 3)], ['epochs', s.epochs],
      ['batch size', s.batchSize]].filter(r => r[1] !== null && r[1] !== undefined);
    rows.push(['loss weights', tasks.map((t, i) => t.name + ' ' + num(c.weights[i], 3)).join(' · ')
      + (c.weighting === 'fixed' ? '' : ' (used by fixed weighting only)')]);
    document.getElementById('settings').replaceChildren(el('tbody', {},
      rows.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v)))));
  }

  function results(trial, tasks) {
    const empty = trial.results.length === 0;
    document.getElementById('results-empty').hidden = !empty;
    document.getElementById('chart-deltas').hidden = empty;
    if (empty) return;
    const metric = Object.fromEntries(tasks.map(t => [t.name, t]));
    document.getElementById('results').replaceChildren(
      el('thead', {}, el('tr', {}, ['Task', 'Metric', 'Validation: trial', 'Baseline', 'Δ',
        'Held-out test: trial', 'Baseline', 'Δ'].map((h, i) => el('th', {class: i >= 2 ? 'num' : null}, h)))),
      el('tbody', {}, trial.results.map(r => el('tr', {'data-task': r.task},
        el('td', {}, r.task),
        el('td', {}, metric[r.task].metric + (metric[r.task].direction === 'maximize' ? ' ↑' : ' ↓')),
        el('td', {class: 'num'}, num(r.validation.value)),
        el('td', {class: 'num'}, r.baselineHash
          ? el('a', {href: '/api/baselines/' + r.baselineHash, title: 'the stored baseline'}, num(r.validation.baseline))
          : num(r.validation.baseline)),
        el('td', {class: 'num ' + signClass(r.validation.delta)}, pct(r.validation.delta)),
        el('td', {class: 'num'}, num(r.test.value)),
        el('td', {class: 'num'}, num(r.test.baseline)),
        el('td', {class: 'num ' + signClass(r.test.delta)}, pct(r.test.delta))))));
    Chorus.chart('chart-deltas').setOption({
      animation: false,
      grid: {left: 60, right: 20, top: 40, bottom: 40},
      tooltip: {formatter: p => Chorus.esc(p.seriesName) + ', ' + Chorus.esc(p.name) + ': ' + pct(p.value)},
      legend: {top: 0},
      xAxis: {type: 'category', data: trial.results.map(r => r.task)},
      yAxis: {type: 'value', name: 'Δ %'},
      series: [{type: 'bar', name: 'validation Δ %', itemStyle: {color: '#2563eb'}, data: trial.results.map(r => ({value: r.validation.delta,
        itemStyle: {color: r.validation.delta >= 0 ? '#2563eb' : '#b42318'}}))},
        {type: 'bar', name: 'held-out test Δ %', itemStyle: {color: '#93c5fd'}, data: trial.results.map(r => ({value: r.test.delta,
          itemStyle: {color: r.test.delta >= 0 ? '#93c5fd' : '#f4a79d'}}))}]
    });
  }

  function curves(steps, tasks) {
    const empty = steps.length === 0;
    document.getElementById('curves-empty').hidden = !empty;
    document.getElementById('chart-curves').hidden = empty;
    if (empty) return;
    Chorus.chart('chart-curves').setOption({
      animation: false,
      grid: {left: 60, right: 20, top: 40, bottom: 40},
      legend: {top: 0},
      tooltip: {trigger: 'axis'},
      xAxis: {type: 'value', name: 'epoch', minInterval: 1},
      yAxis: {type: 'value', scale: true},
      series: tasks.map(t => ({type: 'line', name: t.name + ' ' + t.metric,
        data: steps.map((values, step) => [step, values[t.name] ?? null]).filter(p => p[1] !== null)}))
    });
  }

  async function load() {
    const trial = await api('/api/trials/' + trialId);
    const [study, steps] = await Promise.all([api('/api/studies/' + trial.studyId),
      api('/api/trials/' + trialId + '/intermediate')]);
    document.title = 'Trial ' + trial.number + ' · ' + study.name + ' · Chorus';
    document.getElementById('title').textContent = 'Trial ' + trial.number + ' of study ' + study.name;
    document.getElementById('state').replaceChildren(badge(trial.state));
    document.getElementById('back').replaceChildren(el('a', {href: '/studies/' + study.id}, '← study ' + study.name));
    const error = document.getElementById('error');
    error.hidden = !trial.error;
    error.textContent = trial.error ? 'Error: ' + trial.error : '';
    const took = trial.startedAt && trial.finishedAt
      ? (Date.parse(trial.finishedAt) - Date.parse(trial.startedAt)) / 1000 : null;
    document.getElementById('summary').replaceChildren(
      card('Δm on validation', pct(trial.deltaM), signClass(trial.deltaM)),
      card('Δm on held-out test', pct(trial.testDeltaM), signClass(trial.testDeltaM)),
      card('Models', Math.max(...trial.candidate.groups) + 1),
      card('Generation', trial.generation),
      card('Run', trial.repeatOf === null ? 'first run' : 'repeat ' + trial.replicate + ' of trial id ' + trial.repeatOf),
      card('Attempts · worker', trial.attempts + ' · ' + (trial.worker || '—')),
      card('Started', time(trial.startedAt)),
      card('Training time', duration(took)));
    grouping(trial, study.tasks);
    settings(trial, study.tasks);
    results(trial, study.tasks);
    curves(steps, study.tasks);
  }

  load().catch(e => message(e.status === 404 ? e.message + '.' : e, true));
})();
