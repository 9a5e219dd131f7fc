'use strict';
/* Overnight jobs on the studies page: schedule, stop rule, next run, last run with its study; pause and resume. */
(() => {
  const {api, el} = Chorus;
  const REFRESH_MS = 10000;

  const when = iso => iso ? new Date(iso).toLocaleString() : '—';

  function lastRun(run) {
    if (!run) {
      return el('span', {class: 'muted'}, 'not run yet');
    }
    const study = run.studyId === null ? null : el('a', {href: '/studies/' + run.studyId}, 'study ' + run.studyId);
    const outcome = run.outcome || 'running';
    return el('span', {}, when(run.startedAt) + ' · ', el('span', {class: 'badge'}, outcome),
      study ? ' · ' : null, study, run.error ? el('div', {class: 'bar-label'}, run.error) : null);
  }

  function row(job) {
    const schedule = job.cron ? job.cron + ' (' + job.timeZone + ')' : 'once at ' + when(job.startAt);
    const stop = job.stopBy ? 'by ' + job.stopBy : job.runFor ? 'after ' + job.runFor : 'its budgets';
    const toggle = job.enabled ? 'pause' : 'resume';
    return el('tr', {'data-job': job.id},
      el('td', {class: 'num'}, job.id),
      el('td', {}, job.name),
      el('td', {}, schedule),
      el('td', {}, stop),
      el('td', {class: 'next-run'}, job.enabled ? when(job.nextRunAt) : el('span', {class: 'muted'}, 'paused')),
      el('td', {class: 'last-run'}, lastRun(job.lastRun)),
      el('td', {}, job.webhook ? 'yes' : 'no'),
      el('td', {}, el('button', {type: 'button', id: 'job-' + toggle + '-' + job.id,
        onclick: async () => { await api('/api/jobs/' + job.id + '/' + toggle, {method: 'POST'}); load(); }},
        toggle === 'pause' ? 'Pause' : 'Resume')));
  }

  async function load() {
    const status = document.getElementById('jobs-status');
    try {
      const jobs = await api('/api/jobs');
      status.textContent = jobs.length === 0 ? 'No scheduled jobs (POST /api/jobs, see README).'
        : jobs.length + (jobs.length === 1 ? ' job.' : ' jobs.');
      document.getElementById('jobs').replaceChildren(jobs.length === 0 ? '' : el('table', {class: 'table', id: 'jobs-table'},
        el('thead', {}, el('tr', {}, ['Id', 'Name', 'Schedule', 'Stops', 'Next run', 'Last run', 'Webhook', '']
          .map((h, i) => el('th', {class: i === 0 ? 'num' : null}, h)))),
        el('tbody', {}, jobs.map(row))));
    } catch (e) {
      status.textContent = 'Could not load the jobs: ' + Chorus.problemText(e);
      status.className = 'message error';
    }
    setTimeout(load, REFRESH_MS);
  }

  load();
})();
