'use strict';
/* New study: paste or upload a search-space file; a refused file is listed with each problem beside its line. */
(() => {
  const {api, el} = Chorus;
  const yaml = document.getElementById('yaml');
  const panel = document.getElementById('problems');

  /** "line 12: tasks[0].type: ..." → {line: 12, text: "tasks[0].type: ..."}; other problems have no line. */
  function parse(problem) {
    const m = /^line (\d+): (.*)$/s.exec(problem);
    return m ? {line: Number(m[1]), text: m[2]} : {line: null, text: problem};
  }

  function show(error, text) {
    const problems = error.problems.map(parse);
    document.getElementById('problems-title').textContent = error.message + ' (' + problems.length
      + (problems.length === 1 ? ' problem' : ' problems') + '): fix the lines marked below and create it again.';
    document.getElementById('problems-other').replaceChildren(...problems.filter(p => p.line === null)
      .map(p => el('li', {class: 'problem'}, p.text)));
    const byLine = new Map();
    problems.filter(p => p.line !== null).forEach(p => byLine.set(p.line, (byLine.get(p.line) || []).concat(p.text)));
    const lines = text.split('\n');
    const last = Math.max(lines.length, ...byLine.keys());
    const rows = [];
    for (let n = 1; n <= last; n++) {
      const found = byLine.get(n);
      rows.push(el('div', {class: 'line' + (found ? ' flagged' : ''), 'data-line': n},
        el('span', {class: 'no'}, n), el('span', {class: 'code'}, lines[n - 1] ?? ''),
        el('span', {class: 'problem'}, found ? found.join('; ') : '')));
    }
    document.getElementById('listing').replaceChildren(...rows);
    panel.hidden = false;
    const first = document.querySelector('.line.flagged');
    if (first) first.scrollIntoView({block: 'center'});
  }

  document.getElementById('create').addEventListener('submit', async e => {
    e.preventDefault();
    const text = yaml.value;
    const start = document.getElementById('start').checked;
    const button = document.getElementById('submit');
    button.disabled = true;
    try {
      const study = await api('/api/studies?start=' + start, {method: 'POST',
        headers: {'Content-Type': 'application/yaml'}, body: text});
      location.href = '/studies/' + study.id;
    } catch (err) {
      show(err, text);
    } finally {
      button.disabled = false;
    }
  });

  document.getElementById('upload').addEventListener('change', async e => {
    const file = e.target.files[0];
    if (file) {
      yaml.value = await file.text();
      panel.hidden = true;
    }
  });

  document.getElementById('load-example').addEventListener('click', async () => {
    yaml.value = await api('/api/dashboard/example');
    panel.hidden = true;
  });
})();
