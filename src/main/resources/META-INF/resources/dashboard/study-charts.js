'use strict';
/* The study page's charts, drawn with ECharts from the dashboard overview (GET /api/dashboard/studies/{id}). */
const StudyCharts = (() => {
  const {chart, diverging, esc, num, pct, shareBound} = Chorus;

  /** A member's validation score of one task: what the front was chosen by. */
  function result(member, task) {
    return member.results.find(r => r.task === task).validation;
  }

  /** A mean with its 95 % interval and the runs it rests on, e.g. "+1.23 % [−0.40 %, +2.86 %] over 3 runs". */
  function spread(mean, low, high, runs) {
    return pct(mean) + (low === null || low === undefined ? ' (' + runs + ' run: no interval)'
      : ' [' + pct(low) + ', ' + pct(high) + '] over ' + runs + ' runs');
  }

  /** Whether an interval is known and lies wholly on one side of zero: only then is a gain or a loss shown. */
  function significant(low, high) {
    return low !== null && low !== undefined && (low > 0 || high < 0);
  }

  function label(task) {
    return task.name + ' ' + task.metric + (task.direction === 'maximize' ? ' (higher is better)' : ' (lower is better)');
  }

  /** Grows an axis so that a baseline line outside the front's values still shows. */
  function around(baseline, pick) {
    return extent => {
      const lo = Math.min(extent.min, baseline ?? extent.min), hi = Math.max(extent.max, baseline ?? extent.max);
      const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.05 || 0.01;
      return pick === 'min' ? lo - pad : hi + pad;
    };
  }

  /** The front as a scatter for one pair of tasks, with both tasks' baselines as dashed lines. */
  function pair(front, tasks, xTask, yTask, onPick) {
    const points = front.members.map(m => {
      const x = result(m, xTask.name), y = result(m, yTask.name);
      return {value: [x.value, y.value], member: m};
    });
    const baseX = front.members.length ? result(front.members[0], xTask.name).baseline : null;
    const baseY = front.members.length ? result(front.members[0], yTask.name).baseline : null;
    const instance = chart('chart-pair');
    instance.setOption({
      animation: false,
      grid: {left: 70, right: 30, top: 30, bottom: 60},
      tooltip: {formatter: p => p.data.member ? 'trial ' + p.data.member.number + '<br>'
          + esc(p.data.member.groups.map(g => g.join(' ')).join(' | ')) + '<br>Δm on validation '
          + interval(p.data.member.deltaMInterval) + '<br>Δm on held-out test ' + interval(p.data.member.testDeltaMInterval)
          : esc(p.name) + ': ' + num(p.value)},
      xAxis: {type: 'value', name: label(xTask), nameLocation: 'middle', nameGap: 30,
              min: around(baseX, 'min'), max: around(baseX, 'max'), axisLabel: {formatter: v => num(v, 3)}},
      yAxis: {type: 'value', name: label(yTask), nameLocation: 'end',
              min: around(baseY, 'min'), max: around(baseY, 'max'), axisLabel: {formatter: v => num(v, 3)}},
      series: [{type: 'scatter', name: 'Pareto front', symbolSize: 12, data: points, itemStyle: {color: '#2563eb'},
        label: {show: true, position: 'right', formatter: p => '#' + p.data.member.number},
        markLine: {symbol: 'none', silent: false, lineStyle: {type: 'dashed', color: '#b54708'},
          label: {formatter: p => p.name, position: 'insideEndTop'},
          data: [{xAxis: baseX, name: 'baseline ' + xTask.name}, {yAxis: baseY, name: 'baseline ' + yTask.name}]
            .filter(d => (d.xAxis ?? d.yAxis) !== null)}}]
    }, true);
    instance.off('click');
    instance.on('click', p => p.data && p.data.member && onPick(p.data.member));
  }

  /** The front in parallel coordinates: one axis per task's metric, then models and Δm. */
  function parallel(front, tasks) {
    const axes = tasks.map((t, i) => ({dim: i, name: t.name + ' ' + t.metric + ' (val.)', inverse: t.direction !== 'maximize',
                                      scale: true, nameGap: 22, axisLabel: {formatter: v => num(v, 3)}}));
    axes.push({dim: tasks.length, name: 'models', minInterval: 1},
      {dim: tasks.length + 1, name: 'validation Δm %', scale: true});
    const data = front.members.map(m => ({name: 'trial ' + m.number,
      value: tasks.map(t => result(m, t.name).value).concat([m.models, m.deltaM])}));
    chart('chart-parallel').setOption({
      animation: false,
      tooltip: {formatter: p => p.name},
      parallel: {left: 40, right: 60, top: 50, bottom: 30},
      parallelAxis: axes,
      series: [{type: 'parallel', name: 'Pareto front', data: data, lineStyle: {width: 2, opacity: 0.7}}]
    }, true);
  }

  function interval(i) {
    return i ? spread(i.mean, i.low, i.high, i.runs) : '—';
  }

  /** The hatching of a heatmap cell whose sign is not established. */
  const HATCH = {symbol: 'rect', symbolSize: 1, dashArrayX: [1, 0], dashArrayY: [3, 5], rotation: -Math.PI / 4,
                 color: 'rgba(71, 84, 103, 0.35)'};

  /**
   * Per-task validation Δ against the baseline of each Pareto member, blue for better, red for worse: the mean
   * over the member's runs, its 95 % interval in the tooltip. A cell whose interval includes zero, or that
   * rests on a single run, is hatched, faded and marked n.s.: its sign is not established.
   */
  function deltas(front, tasks) {
    const rows = front.members.map(m => 'trial ' + m.number + ' (' + m.models + ')');
    const data = [];
    front.members.forEach((m, y) => tasks.forEach((t, x) => {
      const d = m.taskDeltas[t.name] && m.taskDeltas[t.name].validation;
      const v = d ? [x, y, d.mean, d.low ?? null, d.high ?? null, d.runs] : [x, y, result(m, t.name).delta, null, null, 1];
      data.push({value: v, ns: !significant(v[3], v[4])});
    }));
    const node = document.getElementById('chart-deltas');
    node.style.height = Math.max(200, 90 + rows.length * 26) + 'px';
    const instance = chart('chart-deltas');
    instance.setOption({
      animation: false,
      grid: {left: 130, right: 90, top: 10, bottom: 30},
      tooltip: {formatter: p => rows[p.value[1]] + ', ' + esc(tasks[p.value[0]].name) + ': validation Δ '
          + spread(p.value[2], p.value[3], p.value[4], p.value[5])
          + (p.data.ns ? '<br>n.s.: ' + (p.value[3] === null ? 'a single run gives no interval' : 'the interval includes 0')
            + ', so the sign is not established' : '')},
      xAxis: {type: 'category', data: tasks.map(t => t.name)},
      yAxis: {type: 'category', data: rows, inverse: true},
      visualMap: diverging(data.map(d => d.value[2])),
      // the n.s. cells (first) and the others as two series: one hatching for the series, not a pattern per cell
      series: [true, false].map(ns => ({type: 'heatmap', name: 'validation Δ %', data: data.filter(d => d.ns === ns),
        itemStyle: ns ? {decal: HATCH, opacity: 0.55} : {},
        label: {show: true, formatter: p => pct(p.value[2]) + (p.data.ns ? ' n.s.' : ''),
                ...(ns ? {color: '#344054', opacity: 1} : {})}}))
    }, true);
    // after the new option, not before: a resize while a tooltip shows schedules a redraw of it, which
    // fails (null.innerHTML) once setOption(..., true) has disposed of that tooltip; only when the height
    // changed (a chart made at this height needs none), for each resize draws the chart again
    if (instance.getHeight() !== node.clientHeight) instance.resize();
  }

  /** TAG's task affinity: how a step on the row's task changes the column's task loss. */
  function affinity(aff) {
    const data = [];
    aff.affinity.forEach((row, i) => row.forEach((v, j) => data.push([j, i, v])));
    chart('chart-affinity').setOption({
      animation: false,
      grid: {left: 80, right: 110, top: 10, bottom: 50},
      tooltip: {formatter: p => 'a step on ' + esc(aff.tasks[p.value[1]]) + ' changes ' + esc(aff.tasks[p.value[0]])
          + "'s loss by " + num(p.value[2], 3) + (p.value[2] > 0 ? ' (lowers it)' : ' (raises it)')},
      xAxis: {type: 'category', data: aff.tasks, name: 'affected'},
      yAxis: {type: 'category', data: aff.tasks, inverse: true, name: 'stepped'},
      visualMap: diverging(data.map(d => d[2])),
      series: [{type: 'heatmap', name: 'affinity', data: data, label: {show: true, formatter: p => num(p.value[2], 2)}}]
    }, true);
  }

  /**
   * The front's hypervolume after each completed trial as a share of the study's reference box (from the
   * reference point to the front's ideal point), in percent, as the step function it is; the tooltip says
   * whether a value is exact or an estimate within its 95 % bound.
   */
  function hypervolume(hv) {
    chart('chart-hv').setOption({
      animation: false,
      grid: {left: 70, right: 20, top: 20, bottom: 50},
      tooltip: {trigger: 'axis', formatter: ps => {
        const p = hv.history[ps[0].dataIndex];
        return 'after ' + p.trials + ' trials: ' + esc(shareBound(p.share, p.errorShare));
      }},
      xAxis: {type: 'value', name: 'complete trials', nameLocation: 'middle', nameGap: 28, minInterval: 1},
      yAxis: {type: 'value', min: 0, max: 100, name: '% of reference box', nameLocation: 'middle', nameGap: 45,
              axisLabel: {formatter: '{value} %'}},
      series: [{type: 'line', name: 'hypervolume share', step: 'end', showSymbol: hv.history.length < 60,
                data: hv.history.map(p => [p.trials, typeof p.share === 'number' ? p.share * 100 : null])}]
    }, true);
  }

  /**
   * Each front member's Δm on validation and on the held-out test split: the mean over its runs as a point,
   * its 95 % interval as an error bar (none with a single run, which the tooltip says).
   */
  function intervals(front) {
    errorBars('chart-dm', front.members.map(m => 'trial ' + m.number + ' (' + m.models + ')'), 'Δm %', [
      {name: 'validation Δm', color: '#2563eb', values: front.members.map(m => m.deltaMInterval)},
      {name: 'held-out test Δm', color: '#b54708', values: front.members.map(m => m.testDeltaMInterval)}]);
  }

  /** The recommended configuration's per-task paired deltas over its runs, on both splits, with intervals. */
  function taskIntervals(member, tasks) {
    const deltas = tasks.map(t => member.taskDeltas[t.name]);
    errorBars('chart-task-dm', tasks.map(t => t.name), 'Δ %', [
      {name: 'validation Δ', color: '#2563eb', values: deltas.map(d => d ? d.validation : null)},
      {name: 'held-out test Δ', color: '#b54708', values: deltas.map(d => d ? d.test : null)}]);
  }

  /**
   * Means as points and 95 % intervals as error bars, one series per entry of {@code groups}, side by side
   * on each category; an interval of a single run has no bar (the tooltip says so).
   */
  function errorBars(id, names, axis, groups) {
    const offsets = groups.map((g, i) => (i - (groups.length - 1) / 2) * 16);
    const points = (g, offset) => g.values.map((v, i) => v
      ? [i, v.mean, v.low ?? null, v.high ?? null, v.runs, offset] : [i, null, null, null, 0, offset]);
    const bar = (params, api) => {
      const low = api.value(2), high = api.value(3);
      if (low === null || high === null || Number.isNaN(low) || Number.isNaN(high)) return null;
      const x = api.coord([api.value(0), 0])[0] + api.value(5);
      const top = api.coord([0, high])[1], bottom = api.coord([0, low])[1];
      const style = {stroke: api.visual('color'), lineWidth: 1.5};
      return {type: 'group', children: [
        {type: 'line', shape: {x1: x, y1: top, x2: x, y2: bottom}, style},
        {type: 'line', shape: {x1: x - 5, y1: top, x2: x + 5, y2: top}, style},
        {type: 'line', shape: {x1: x - 5, y1: bottom, x2: x + 5, y2: bottom}, style}]};
    };
    const tip = p => names[p.value[0]] + ', ' + p.seriesName + ': ' + spread(p.value[1], p.value[2], p.value[3], p.value[4]);
    const series = groups.flatMap((g, i) => [
      {type: 'custom', name: g.name, renderItem: bar, data: points(g, offsets[i]), itemStyle: {color: g.color}, z: 1,
       encode: {x: 0, y: [1, 2, 3]}},
      {type: 'scatter', name: g.name, data: points(g, offsets[i]).map(d => ({value: d})),
       itemStyle: {color: g.color}, symbolSize: 9, symbolOffset: [offsets[i], 0], z: 2}]);
    chart(id).setOption({
      animation: false,
      grid: {left: 70, right: 60, top: 30, bottom: 40},
      legend: {top: 0, data: groups.map(g => g.name)},
      tooltip: {formatter: tip},
      xAxis: {type: 'category', data: names},
      yAxis: {type: 'value', name: axis, scale: true},
      series: [...series, {type: 'line', name: 'no gain', data: [], markLine: {symbol: 'none', silent: true,
        lineStyle: {type: 'dashed', color: '#667085'}, label: {formatter: 'no gain'}, data: [{yAxis: 0}]}}]
    }, true);
  }

  return {pair, parallel, deltas, affinity, hypervolume, intervals, taskIntervals};
})();
