/* global document, window, fetch, sessionStorage, TextDecoder, uPlot */
// The logsleuth dashboard. Everything that came from a log is put in the page
// as text (text nodes, textContent), never as markup.
'use strict';

const POLL_MS = 3000;
const FEED_MAX = 100;
const charts = {};
let caseIp = null;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name === 'class') node.className = value;
    else if (name === 'href') node.href = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(
      typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child,
    );
  }
  return node;
}

function fill(id, nodes) {
  document.getElementById(id).replaceChildren(...nodes);
}

function headers() {
  const token = sessionStorage.getItem('logsleuth-token');
  return token ? { authorization: `Bearer ${token}` } : {};
}

async function api(path) {
  const response = await fetch(`/api/v1${path}`, { headers: headers() });
  if (response.status === 401) {
    document.getElementById('login').hidden = false;
    throw new Error('unauthorized');
  }
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

const bytes = (n) => {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
};
const time = (iso) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-');

function tile(id, label, value, state, detail) {
  return el(
    'div',
    { class: `tile ${state}`, id: `tile-${id}`, 'data-state': state },
    el('div', { class: 'label' }, label),
    el('div', { class: 'value' }, value),
    el('div', { class: 'state' }, state === 'ok' ? 'OK' : state === 'warning' ? 'WARNING' : 'CRITICAL'),
    detail ? el('div', { class: 'muted' }, detail) : null,
  );
}

function renderTiles(system) {
  const s = system.current;
  if (!s) {
    fill('tiles', [el('p', { class: 'muted' }, 'first sample in a few seconds')]);
    return;
  }
  const worstDisk = [...s.disks].sort((a, b) => b.percent - a.percent)[0];
  const net = s.network.filter((n) => n.name !== 'lo');
  const rx = net.reduce((sum, n) => sum + n.rxBytesPerSecond, 0);
  const tx = net.reduce((sum, n) => sum + n.txBytesPerSecond, 0);
  const tiles = [
    tile(
      'cpu',
      'CPU',
      s.cpu.percent === null ? '-' : `${s.cpu.percent.toFixed(1)}%`,
      s.cpu.state,
      `${s.cpu.cores} cores`,
    ),
    s.memory
      ? tile(
          'memory',
          'Memory',
          `${s.memory.percent.toFixed(1)}%`,
          s.memory.state,
          `${bytes(s.memory.used)} of ${bytes(s.memory.total)}`,
        )
      : null,
    s.swap
      ? tile('swap', 'Swap', `${s.swap.percent.toFixed(1)}%`, 'ok', `${bytes(s.swap.used)} of ${bytes(s.swap.total)}`)
      : null,
    s.load
      ? tile('load', 'Load', s.load.one.toFixed(2), 'ok', `${s.load.five.toFixed(2)} ${s.load.fifteen.toFixed(2)}`)
      : null,
    worstDisk
      ? tile(
          'disk',
          `Disk ${worstDisk.mountPoint}`,
          `${worstDisk.percent}%`,
          worstDisk.state,
          bytes(worstDisk.available) + ' free',
        )
      : null,
    tile('network', 'Network', `${bytes(rx)}/s in`, 'ok', `${bytes(tx)}/s out`),
  ];
  fill(
    'tiles',
    tiles.filter((t) => t),
  );
}

function renderChart(id, points, field) {
  if (typeof uPlot === 'undefined') return;
  const data = [points.map((p) => p.at / 1000), points.map((p) => p[field])];
  const container = document.getElementById(`chart-${id}`);
  if (!charts[id]) {
    charts[id] = new uPlot(
      {
        width: Math.min(560, Math.max(300, window.innerWidth / 2 - 40)),
        height: 180,
        scales: { y: { range: [0, 100] } },
        series: [{}, { label: id, stroke: id === 'cpu' ? '#1565c0' : '#6a1b9a', width: 2 }],
      },
      data,
      container,
    );
  } else charts[id].setData(data);
}

function scoreBar(score) {
  const inner = el('span');
  inner.style.width = `${Math.max(0, Math.min(100, score))}%`;
  return el('span', { class: 'bar' }, inner);
}

const fleetLine = (fleet) =>
  `fleet ${Math.round(fleet.score)}: ${fleet.hosts.length} hosts, ${fleet.hostileHosts} hostile`;

function renderSuspects(cases) {
  document.getElementById('suspect-count').textContent = `(${cases.total})`;
  const rows = cases.items.map((c) =>
    el(
      'tr',
      { 'data-ip': c.ip },
      el('td', {}, el('a', { href: `#/case/${encodeURIComponent(c.ip)}` }, c.ip)),
      el('td', {}, scoreBar(c.score), Math.round(c.score)),
      el(
        'td',
        {},
        el('span', { class: c.blacklisted ? 'badge blacklisted' : 'badge' }, c.blacklisted ? 'blacklisted' : 'watched'),
        ' ',
        c.type,
        c.fleet ? el('div', { class: 'fleet' }, fleetLine(c.fleet)) : null,
      ),
      el(
        'td',
        {},
        el(
          'ul',
          {},
          ...c.reasons.map((r) => el('li', {}, `${r.points >= 0 ? '+' : ''}${Math.round(r.points)} ${r.text}`)),
        ),
      ),
    ),
  );
  document.querySelector('#suspects tbody').replaceChildren(...rows);
}

function renderErrors(errors) {
  fill(
    'errors',
    errors.items.map((e) =>
      el(
        'li',
        {},
        `x${e.count} [${e.category}/${e.subkind}] `,
        el('span', {}, e.template),
        el('div', { class: 'hint' }, `hint: ${e.hint}`),
      ),
    ),
  );
}

function renderSweeps(sweeps) {
  fill(
    'sweeps',
    sweeps.items.map((s) => el('li', {}, `${s.kind} ${s.subnet}: ${s.ips.length} addresses (${s.ips.join(', ')})`)),
  );
}

const HEALTH_STATE = { up: 'ok', stale: 'warning', down: 'critical' };
const percent = (value) => (value === null ? '-' : `${value.toFixed(1)}%`);

// A collector's server lists the fleet's hosts in place of this host's tiles and charts.
function renderHosts(hosts) {
  document.getElementById('fleet').hidden = !hosts.fleet;
  document.getElementById('tiles').hidden = hosts.fleet;
  document.getElementById('charts').hidden = hosts.fleet;
  if (!hosts.fleet) return;
  document.getElementById('host-count').textContent = `(${hosts.items.length})`;
  const rows = hosts.items.map((h) => {
    const seen = [h.lastEvent, h.lastSample].filter((t) => t).sort();
    return el(
      'tr',
      { 'data-host': h.host, 'data-health': h.health },
      el('td', {}, h.host),
      el('td', {}, el('span', { class: `badge ${HEALTH_STATE[h.health]}` }, h.health)),
      el('td', {}, time(seen[seen.length - 1])),
      el('td', {}, h.events),
      el('td', {}, h.eventsPerSecond.toFixed(1)),
      el('td', {}, percent(h.cpuPercent)),
      el('td', {}, h.load1 === null ? '-' : h.load1.toFixed(2)),
      el('td', {}, percent(h.memoryPercent)),
      el('td', {}, h.diskPercent === null ? '-' : `${h.diskPercent}%`),
    );
  });
  document.querySelector('#hosts tbody').replaceChildren(...rows);
}

async function refreshOverview() {
  const [hosts, system, cases, errors, sweeps] = await Promise.all([
    api('/hosts'),
    api('/system'),
    api('/cases?limit=100'),
    api('/errors?limit=20'),
    api('/sweeps'),
  ]);
  renderHosts(hosts);
  if (!hosts.fleet) {
    renderTiles(system);
    renderChart('cpu', system.history, 'cpuPercent');
    renderChart('memory', system.history, 'memoryPercent');
  }
  renderSuspects(cases);
  renderErrors(errors);
  renderSweeps(sweeps);
}

// A collector's case seen on several hosts: what each host saw, and the fleet score.
function renderCaseFleet(fleet) {
  document.getElementById('case-fleet').hidden = !fleet;
  if (!fleet) return;
  document.getElementById('case-fleet-score').textContent = fleetLine(fleet);
  fill(
    'case-fleet-summary',
    fleet.summary.map((sentence) => el('li', {}, sentence)),
  );
  const rows = fleet.hosts.map((h) =>
    el(
      'tr',
      { 'data-host': h.host },
      el('td', {}, h.host),
      el('td', {}, scoreBar(h.score), Math.round(h.score)),
      el('td', {}, h.counts.events ?? 0),
      el('td', {}, time(h.firstSeen)),
      el('td', {}, time(h.lastSeen)),
      el(
        'td',
        {},
        el('ul', {}, ...h.evidence.map((e) => el('li', {}, `${time(e.at)} ${e.action} ${e.source}:${e.line}`))),
      ),
    ),
  );
  document.querySelector('#case-fleet-hosts tbody').replaceChildren(...rows);
}

async function refreshCase(ip) {
  let c;
  try {
    c = await api(`/cases/${encodeURIComponent(ip)}`);
  } catch (error) {
    document.getElementById('case-title').textContent = `${ip}: ${error.message}`;
    return;
  }
  document.getElementById('case-title').textContent = `${c.ip} (${c.type})`;
  document
    .getElementById('case-score')
    .replaceChildren(
      scoreBar(c.score),
      `score ${Math.round(c.score)} `,
      el('span', { class: c.blacklisted ? 'badge blacklisted' : 'badge' }, c.blacklisted ? 'blacklisted' : 'watched'),
    );
  fill(
    'case-reasons',
    c.reasons.map((r) => el('li', {}, `${r.points >= 0 ? '+' : ''}${Math.round(r.points)} ${r.text}`)),
  );
  renderCaseFleet(c.fleet);
  fill(
    'case-chains',
    c.chains.map((chain) =>
      el(
        'li',
        { 'data-kind': chain.kind },
        el('strong', {}, chain.kind),
        ' ',
        chain.summary,
        el('ul', { class: 'steps' }, ...chain.steps.map((s) => el('li', {}, `${time(s.at)} ${s.action} ${s.message}`))),
      ),
    ),
  );
  const connections = c.live.connections.length ? c.live.connections : c.connections;
  document
    .querySelector('#case-connections tbody')
    .replaceChildren(
      ...connections.map((k) =>
        el(
          'tr',
          {},
          el('td', {}, k.protocol),
          el('td', {}, `${k.local.address}:${k.local.port}`),
          el('td', {}, `${k.remote.address}:${k.remote.port}`),
          el('td', {}, k.state),
          el('td', {}, k.pid === null ? '-' : `${k.pid} ${k.process || ''}`),
        ),
      ),
    );
  const processes = c.live.processes.length ? c.live.processes : c.processes;
  fill(
    'case-processes',
    processes.map((p) => el('li', {}, `${p.pid} ${p.name} (${p.user || '?'}): ${p.cmdline}`)),
  );
  fill(
    'case-errors',
    c.errors.map((e) => el('li', {}, `x${e.count} [${e.category}] ${e.template} (${e.why})`)),
  );
  document.getElementById('case-timeline-count').textContent = `(${c.timeline.length} of ${c.timelineTotal})`;
  document
    .querySelector('#case-timeline tbody')
    .replaceChildren(
      ...c.timeline.map((s) =>
        el(
          'tr',
          {},
          el('td', {}, time(s.at)),
          el('td', {}, s.action),
          el('td', {}, s.message),
          el('td', {}, `${s.source}:${s.line}`),
        ),
      ),
    );
}

async function refresh() {
  try {
    if (caseIp) await refreshCase(caseIp);
    else await refreshOverview();
    document.getElementById('updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
  } catch (error) {
    document.getElementById('updated').textContent = `not updated: ${error.message}`;
  }
}

function route() {
  const match = /^#\/case\/(.+)$/.exec(window.location.hash);
  caseIp = match ? decodeURIComponent(match[1]) : null;
  document.getElementById('overview').hidden = caseIp !== null;
  document.getElementById('case').hidden = caseIp === null;
  refresh();
}

function addToFeed(item) {
  const text =
    item.type === 'finding'
      ? item.text
      : `${time(item.timestamp)} ${item.service || item.program || '-'} ${item.action || ''} ${item.ip || ''} ${item.user ? `user=${item.user}` : ''} ${item.message}`;
  const feed = document.getElementById('feed');
  feed.prepend(el('li', { class: `feed-${item.type}` }, text));
  while (feed.childElementCount > FEED_MAX) feed.lastElementChild.remove();
}

// Server-Sent Events over fetch, so the bearer token can go in a header.
async function follow() {
  for (;;) {
    try {
      const response = await fetch('/api/v1/stream', { headers: headers() });
      if (!response.ok || !response.body) throw new Error(String(response.status));
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice(6))
            .join('\n');
          if (data) addToFeed(JSON.parse(data));
        }
      }
    } catch {
      // Reconnect below.
    }
    await new Promise((resolve) => window.setTimeout(resolve, POLL_MS));
  }
}

async function start() {
  document.getElementById('login').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem('logsleuth-token', document.getElementById('token').value);
    document.getElementById('login').hidden = true;
    refresh();
  });
  window.addEventListener('hashchange', route);
  try {
    const host = await api('/host');
    document.getElementById('host').textContent =
      `${host.hostname} · ${host.os} · kernel ${host.kernel} · ${host.cores} cores · ${bytes(host.memoryBytes)}`;
  } catch {
    // Shown on the next refresh.
  }
  route();
  window.setInterval(refresh, POLL_MS);
  follow();
}

start();
