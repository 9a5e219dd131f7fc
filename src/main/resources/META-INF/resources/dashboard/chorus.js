'use strict';
/* Shared helpers of the dashboard's pages: REST calls, element building, formatting, charts. */
const Chorus = (() => {

  /** An error answer of the REST API: its status, message and the problems it lists. */
  class ApiError extends Error {
    constructor(status, error, problems) {
      super(error);
      this.status = status;
      this.problems = problems || [];
    }
  }

  /** A cookie's value, or null. */
  function cookie(name) {
    const pair = document.cookie.split('; ').find(c => c.startsWith(name + '='));
    return pair ? decodeURIComponent(pair.substring(name.length + 1)) : null;
  }

  /** Sends the browser to the sign-in page, back here afterwards. */
  function signIn() {
    window.location.assign('/sign-in?next=' + encodeURIComponent(window.location.pathname + window.location.search));
  }

  /**
   * Calls the REST API; resolves to parsed JSON (or text), rejects with an ApiError that says what is wrong.
   * Writes carry the CSRF token of the signed-in session (double submit); a 401 goes to the sign-in page.
   */
  async function api(path, options = {}) {
    return (await request(path, options)).body;
  }

  /** As api, resolving to {body, headers}: for answers that say more in their headers (X-Total-Count). */
  async function request(path, options = {}) {
    let response;
    const method = (options.method || 'GET').toUpperCase();
    const csrf = cookie('chorus_csrf');
    if (method !== 'GET' && method !== 'HEAD' && csrf) {
      options = {...options, headers: {...(options.headers || {}), 'X-CSRF-Token': csrf}};
    }
    try {
      response = await fetch(path, options);
    } catch (e) {
      throw new ApiError(0, 'Chorus did not answer (' + e.message + '); is the server running?', []);
    }
    const type = response.headers.get('Content-Type') || '';
    const body = type.includes('json') ? await response.json() : await response.text();
    if (response.status === 401) {
      signIn();
    }
    if (!response.ok) {
      const error = body && body.error ? body.error : response.status + ' ' + response.statusText;
      throw new ApiError(response.status, error, body && body.problems);
    }
    return {body, headers: response.headers};
  }

  /** el('td', {class: 'num'}, 'text', childNode, ...): an element with attributes and children. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith('on')) node.addEventListener(key.substring(2), value);
      else node.setAttribute(key, value === true ? '' : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  const FINISHED = ['completed', 'failed', 'cancelled'];

  /** A number that can be shown; anything else (null, undefined, NaN, a string) shows as '—'. */
  function shown(value) {
    return typeof value === 'number' && Number.isFinite(value);
  }

  function pct(value) {
    if (!shown(value)) return '—';
    return (value > 0 ? '+' : '') + value.toFixed(2) + ' %';
  }

  function signClass(value) {
    return value > 0 ? 'good' : value < 0 ? 'bad' : '';
  }

  function num(value, digits = 4) {
    if (!shown(value)) return '—';
    return Math.abs(value) >= 1000 ? value.toFixed(0) : Number(value.toPrecision(digits)).toString();
  }

  /** A hypervolume share (0 to 1) in percent, or '—' when there is none. */
  function share(value) {
    if (!shown(value)) return '—';
    return (value * 100).toFixed(1) + ' %';
  }

  /**
   * A hypervolume share with how sure it is, as the report writes it: '42.1 % (exact)', or
   * '42.1 % (± 0.27 %)' for an estimate with the half-width of its 95 % interval; '—' when there is none.
   */
  function shareBound(value, bound) {
    if (!shown(value)) return '—';
    if (!shown(bound)) return share(value);
    return share(value) + (bound === 0 ? ' (exact)' : ' (± ' + (bound * 100).toFixed(2) + ' %)');
  }

  function duration(seconds) {
    if (!shown(seconds)) return '—';
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return s + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min ' + String(s % 60).padStart(2, '0') + ' s';
    return Math.floor(s / 3600) + ' h ' + String(Math.floor(s / 60) % 60).padStart(2, '0') + ' min';
  }

  function time(iso) {
    return iso ? new Date(iso).toLocaleString() : '—';
  }

  function badge(state) {
    return el('span', {class: 'badge ' + state}, state);
  }

  /** A progress bar of done out of total with a label under it. */
  function bar(done, total, label, kind = '') {
    const share = total > 0 ? Math.min(1, done / total) : 0;
    return el('div', {},
      el('div', {class: 'bar ' + kind, role: 'progressbar', 'aria-valuenow': done, 'aria-valuemax': total},
        el('span', {style: 'width:' + (share * 100).toFixed(1) + '%'})),
      el('div', {class: 'bar-label'}, label));
  }

  function card(label, value, cls = '') {
    return el('div', {class: 'card'}, el('div', {class: 'label'}, label), el('div', {class: 'value ' + cls}, value));
  }

  /** The groups of a candidate (per-task model indices) as lists of task names. */
  function groups(candidateGroups, taskNames) {
    const out = [];
    candidateGroups.forEach((g, task) => { (out[g] = out[g] || []).push(taskNames[task]); });
    return out;
  }

  function groupsText(candidateGroups, taskNames) {
    return groups(candidateGroups, taskNames).map(g => g.join(' ')).join(' | ');
  }

  /** Shows a message (or an ApiError with its problems) in the page's #message box. */
  function message(text, isError = false) {
    const box = document.getElementById('message');
    if (!text) { box.hidden = true; return; }
    box.replaceChildren(text instanceof ApiError ? problemText(text) : text);
    box.className = 'message' + (isError ? ' error' : '');
    box.hidden = false;
  }

  function problemText(error) {
    return error.problems.length ? error.message + ': ' + error.problems.join('; ') : error.message;
  }

  /** Text made safe for the HTML of chart tooltips (task names come from people's files). */
  function esc(text) {
    return String(text).replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]);
  }

  /** The ECharts instance of a container, created once and resized with the window. */
  function chart(id) {
    const node = document.getElementById(id);
    let instance = echarts.getInstanceByDom(node);
    if (!instance) {
      instance = echarts.init(node);
      window.addEventListener('resize', () => instance.resize());
    }
    return instance;
  }

  /** A blue (positive) to red (negative) scale centred on zero. */
  function diverging(values, dimension = 2) {
    const max = Math.max(1e-9, ...values.map(v => Math.abs(v)));
    return {min: -max, max: max, dimension: dimension, calculable: true, orient: 'vertical', right: 0, top: 'middle',
            itemHeight: 120, inRange: {color: ['#b42318', '#f7f7f7', '#2563eb']}};
  }

  /** Shows who is signed in; the Tokens link for admins; Sign out for sessions (not for the loopback convenience). */
  async function who() {
    const node = document.getElementById('who');
    if (!node) return;
    try {
      const me = await api('/api/me');
      node.textContent = me.loopback ? 'local admin (loopback)' : me.name + ' · ' + me.role;
      document.getElementById('nav-tokens').hidden = !me.grants.includes('admin');
      document.getElementById('sign-out').hidden = me.loopback;
    } catch (e) {
      node.textContent = '';
    }
  }
  document.addEventListener('DOMContentLoaded', who);

  return {ApiError, api, request, el, FINISHED, pct, signClass, num, share, shareBound, duration, time, badge, bar, card, groups, groupsText,
          message, problemText, esc, chart, diverging};
})();
