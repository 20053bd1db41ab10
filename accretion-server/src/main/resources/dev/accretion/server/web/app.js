// Accretion dashboard. Plain JavaScript, no library, nothing loaded from elsewhere.
// Every value from the API is shown through text nodes (h() below): nothing is parsed as HTML.
// The bearer token lives in this tab's sessionStorage and goes out in the Authorization header
// only; the service takes no cookie, so another site cannot make a browser write with it.
'use strict';

(function () {
  const TOKEN_KEY = 'accretion.token';
  const LIMIT_BYTES = 262144000; // Lambda's 250 MB unzipped limit for a function and its layers
  const NAME = /^[A-Za-z0-9_-]{1,140}$/;
  const CHART_VERSIONS = 20;
  let generation = 0; // bumped on every navigation: a stale page stops updating
  let timer = null;
  let lastImport = null; // the answer of the last import, shown once on its layer's page

  // ---- DOM helpers: text only ----

  function h(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') {
        e.addEventListener(k.slice(2), v);
      } else if (k === 'href') {
        e.setAttribute('href', safeHref(v));
      } else if (k === 'value') {
        e.value = String(v);
      } else {
        e.setAttribute(k, String(v));
      }
    }
    append(e, children);
    return e;
  }

  function append(e, children) {
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      e.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  const SVG = 'http://www.w3.org/2000/svg';
  function s(tag, attrs, ...children) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    return append(e, children);
  }

  // links stay inside the dashboard or the API
  function safeHref(v) {
    const t = String(v);
    return t.startsWith('#') || t.startsWith('/') ? t : '#/';
  }

  function layerHref(name) {
    return '#/layers/' + encodeURIComponent(name);
  }

  function buildHref(id) {
    return '#/builds/' + encodeURIComponent(id);
  }

  function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, v);
    const t = q.toString();
    return t ? '?' + t : '';
  }

  function human(bytes) {
    if (bytes === null || bytes === undefined || bytes < 0) return '?';
    const units = ['B', 'KB', 'MB', 'GB'];
    let v = bytes;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return (i === 0 ? v : v.toFixed(1)) + ' ' + units[i];
  }

  function when(iso) {
    if (!iso) return '—';
    const d = new Date(iso);
    return isNaN(d) ? String(iso) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  }

  function table(id, headers, rows) {
    return h('table', { id: id },
      h('thead', null, h('tr', null, headers.map((x) => h('th', null, x)))),
      h('tbody', null, rows));
  }

  function section(title, ...children) {
    return h('section', null, h('h2', null, title), children);
  }

  function statusBadge(status, id) {
    return h('span', { class: 'status status-' + (status || 'unknown'), id: id }, status || 'unknown');
  }

  // ---- API ----

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  class ApiError extends Error {
    constructor(status, problem, text) {
      const detail = problem && (problem.detail || problem.title);
      super(detail ? detail : 'HTTP ' + status + (text ? ': ' + text.slice(0, 200) : ''));
      this.status = status;
      this.advice = problem && problem.advice;
    }
  }

  async function api(method, path, json) {
    const headers = { Accept: 'application/json' };
    const t = token();
    if (t) headers.Authorization = 'Bearer ' + t;
    const init = { method: method, headers: headers, credentials: 'omit', cache: 'no-store' };
    if (json !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(json);
    }
    const res = await fetch(path, init);
    const text = await res.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch (e) {
      body = null;
    }
    if (!res.ok) throw new ApiError(res.status, body, text);
    return body;
  }

  // ---- page frame ----

  function main() {
    const m = document.getElementById('main');
    m.replaceChildren();
    return m;
  }

  function renderAuth() {
    const a = document.getElementById('auth');
    a.replaceChildren(
      token()
        ? h('span', null, 'Token in use · ',
          h('button', { id: 'token-forget', type: 'button', onclick: () => { sessionStorage.removeItem(TOKEN_KEY); route(); } }, 'Forget token'))
        : h('span', { class: 'muted' }, 'No token'));
  }

  function tokenForm(message) {
    const input = h('input', { id: 'token-input', type: 'password', autocomplete: 'off', placeholder: 'acc_…', size: 40 });
    const save = () => {
      const v = input.value.trim();
      if (v) {
        sessionStorage.setItem(TOKEN_KEY, v);
        route();
      }
    };
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') save(); });
    return h('div', { class: 'token-form', id: 'token-form' },
      h('p', null, message),
      h('label', { for: 'token-input' }, 'Token '), input, ' ',
      h('button', { id: 'token-save', type: 'button', onclick: save }, 'Use token'),
      h('p', { class: 'muted' },
        'Create one with “accretion serve token create --scope read” (write: to rebuild). ' +
        'It is kept in this tab only (sessionStorage) and sent in the Authorization header.'));
  }

  function showError(m, e) {
    if (e instanceof ApiError && e.status === 401) {
      m.replaceChildren(h('h1', null, 'Token needed'),
        tokenForm(token() ? 'The service refused the token: ' + e.message : 'This service needs a read token to show its layers.'));
      return;
    }
    m.appendChild(h('div', { class: 'error', role: 'alert' }, e.message, e.advice ? h('div', { class: 'muted' }, e.advice) : null));
  }

  function route() {
    generation++;
    if (timer) clearTimeout(timer);
    timer = null;
    renderAuth();
    const raw = location.hash.replace(/^#/, '') || '/';
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    const parts = path.split('/').filter(Boolean).map((p) => {
      try {
        return decodeURIComponent(p);
      } catch (e) {
        return p;
      }
    });
    const m = main();
    const gen = generation;
    let page;
    if (parts.length === 0) page = layersPage(m, gen);
    else if (parts[0] === 'layers' && parts.length === 2) page = layerPage(m, gen, parts[1], params);
    else if (parts[0] === 'layers' && parts.length === 3 && parts[2] === 'diff') page = diffPage(m, gen, parts[1], params);
    else if (parts[0] === 'builds' && parts.length === 2) page = buildPage(m, gen, parts[1]);
    else if (parts[0] === 'events') page = eventsPage(m, gen, params);
    else page = Promise.resolve(append(m, [h('h1', null, 'Not found'), h('p', null, 'No dashboard page at “' + raw + '”.')]));
    page.catch((e) => { if (gen === generation) showError(m, e); });
  }

  // ---- layers ----

  function newestPerLambdaLayer(versions) {
    const newest = new Map();
    for (const v of versions) {
      const cur = newest.get(v.lambdaLayer);
      if (!cur || v.version > cur.version) newest.set(v.lambdaLayer, v);
    }
    return [...newest.values()];
  }

  async function layersPage(m, gen) {
    const data = await api('GET', '/api/v1/layers');
    if (gen !== generation) return;
    m.appendChild(h('h1', null, 'Layers'));
    const layers = data.layers || [];
    if (layers.length === 0) {
      m.appendChild(h('p', { class: 'empty', id: 'layers-empty' },
        'No layers are managed here yet: define one with POST /api/v1/layers.'));
      return;
    }
    const rows = [];
    const fills = [];
    for (const l of layers) {
      const d = l.definition || {};
      const versionsCell = h('td', { class: 'versions' }, h('span', { class: 'muted' }, '…'));
      const buildCell = h('td', { class: 'last-build' }, h('span', { class: 'muted' }, '…'));
      rows.push(h('tr', { 'data-layer': l.name },
        h('td', null, h('a', { class: 'layer-link', href: layerHref(l.name) }, l.name)),
        h('td', { class: 'description' }, d.description || ''),
        h('td', null, (d.targets || []).map((t) => t.runtime + ' ' + t.arch).join(', ')),
        versionsCell, buildCell));
      fills.push(fillLatest(gen, l.name, d.regions || [], versionsCell));
      fills.push(fillLastBuild(gen, l.name, buildCell));
    }
    m.appendChild(table('layers', ['Layer', 'Description', 'Targets', 'Latest version per region', 'Last build'], rows));
    await Promise.all(fills);
  }

  async function fillLatest(gen, name, regions, cell) {
    const lines = await Promise.all(regions.map(async (region) => {
      try {
        const r = await api('GET', '/api/v1/layers/' + encodeURIComponent(name) + '/versions' + query({ region: region }));
        const newest = newestPerLambdaLayer(r.versions || []);
        if (newest.length === 0) return h('div', null, region + ': none published');
        return h('div', null, region + ': ',
          newest.map((v, i) => [i ? ', ' : '', newest.length > 1 ? v.lambdaLayer + ' ' : '', 'v' + v.version,
            h('span', { class: 'muted' }, ' (' + when(v.created).slice(0, 10) + ')')]));
      } catch (e) {
        return h('div', { class: 'error-inline' }, region + ': ' + e.message);
      }
    }));
    if (gen === generation) cell.replaceChildren(...lines);
  }

  async function fillLastBuild(gen, name, cell) {
    try {
      const r = await api('GET', '/api/v1/builds' + query({ layer: name, limit: 1 }));
      const b = (r.builds || [])[0];
      if (gen !== generation) return;
      cell.replaceChildren(b
        ? h('a', { href: buildHref(b.id) }, statusBadge(b.status), ' ', when(b.finished || b.started || b.created))
        : h('span', { class: 'muted' }, 'never built'));
    } catch (e) {
      if (gen === generation) cell.replaceChildren(h('span', { class: 'error-inline' }, e.message));
    }
  }

  async function layerPage(m, gen, name, params) {
    m.appendChild(h('h1', null, 'Layer ', h('span', { id: 'layer-name' }, name)));
    if (!NAME.test(name)) {
      m.appendChild(h('p', { class: 'error', id: 'layer-missing' },
        'There is no layer named “' + name + '”: layer names are 1 to 140 characters of a-z, A-Z, 0-9, - and _.'));
      return;
    }
    const path = '/api/v1/layers/' + encodeURIComponent(name);
    const layer = await api('GET', path);
    if (gen !== generation) return;
    const d = layer.definition || {};
    const regions = d.regions || [];
    const region = regions.includes(params.get('region')) ? params.get('region') : regions[0];

    // definition, sharing and notifications, rebuild
    if (d.description) m.appendChild(h('p', { class: 'description', id: 'layer-description' }, d.description));
    const rebuildMsg = h('div', { id: 'rebuild-msg' });
    const rebuild = h('button', { id: 'rebuild', type: 'button' }, 'Rebuild now');
    rebuild.addEventListener('click', async () => {
      rebuildMsg.replaceChildren();
      rebuild.disabled = true;
      try {
        const r = await api('POST', path + '/builds');
        location.hash = buildHref(r.id);
      } catch (e) {
        rebuild.disabled = false;
        if (e.status === 401 || e.status === 403) {
          rebuildMsg.replaceChildren(h('p', { class: 'error' }, 'Rebuilding needs a write token: ' + e.message),
            tokenForm('Enter a token with the write scope:'));
        } else {
          rebuildMsg.replaceChildren(h('p', { class: 'error' }, e.message));
        }
      }
    });
    // import: record the versions published outside the service (the CLI, CI) that AWS holds
    const importMsg = h('div', { id: 'import-msg' });
    const importButton = h('button', { id: 'import', type: 'button', title: 'Record the versions of this layer that were published outside the service (accretion publish), as AWS lists them' }, 'Import from AWS');
    importButton.addEventListener('click', async () => {
      importMsg.replaceChildren(h('span', { class: 'muted' }, 'Importing…'));
      importButton.disabled = true;
      try {
        const r = await api('POST', path + '/import');
        lastImport = { layer: name, result: r };
        route(); // the page again, with the versions now recorded and this result above them
      } catch (e) {
        importButton.disabled = false;
        if (e.status === 401 || e.status === 403) {
          importMsg.replaceChildren(h('p', { class: 'error' }, 'Importing needs a write token: ' + e.message),
            tokenForm('Enter a token with the write scope:'));
        } else {
          importMsg.replaceChildren(h('p', { class: 'error' }, e.message, e.advice ? h('div', { class: 'muted' }, e.advice) : null));
        }
      }
    });
    if (lastImport && lastImport.layer === name) {
      importMsg.replaceChildren(importResult(lastImport.result));
    }
    lastImport = null;
    m.appendChild(h('div', { class: 'actions' }, rebuild, ' ', importButton, rebuildMsg, importMsg));
    m.appendChild(section('Definition',
      h('dl', null,
        h('dt', null, 'Listing'), h('dd', null, (d.listing || {}).filename || ''),
        h('dt', null, 'Targets'), h('dd', null, (d.targets || []).map((t) => t.runtime + ' ' + t.arch).join(', ')),
        h('dt', null, 'Regions'), h('dd', null, regions.join(', ')),
        h('dt', null, 'License'), h('dd', null, d.license || '—'),
        d.schedule ? [h('dt', null, 'Schedule'), h('dd', { id: 'schedule' }, String(d.schedule) + ' (UTC)')] : null,
        h('dt', null, 'Updated'), h('dd', null, when(layer.updated))),
      h('details', null, h('summary', null, 'Listing content'), h('pre', { id: 'listing' }, (d.listing || {}).content || ''))));
    const sharing = d.sharing || [];
    const sns = !!(d.notifications && d.notifications.sns);
    const grants = h('div', { id: 'grants' });
    const sharingInput = h('input', { id: 'sharing-input', size: 50, value: sharing.join(', '),
      placeholder: 'private, public, 123456789012 or org:o-a1b2c3d4e5 (comma-separated)' });
    const snsInput = h('input', { id: 'sns-input', type: 'checkbox' });
    snsInput.checked = sns;
    const settingsMsg = h('div', { id: 'settings-msg' });
    const saveSettings = h('button', { id: 'settings-save', type: 'button' }, 'Save settings');
    saveSettings.addEventListener('click', async () => {
      settingsMsg.replaceChildren();
      const changed = Object.assign({}, d);
      changed.sharing = sharingInput.value.split(',').map((x) => x.trim()).filter(Boolean);
      changed.notifications = { sns: snsInput.checked };
      try {
        await api('PUT', path, changed);
        route();
      } catch (e) {
        if (e.status === 401 || e.status === 403) {
          settingsMsg.replaceChildren(h('p', { class: 'error' }, 'Changing settings needs a write token: ' + e.message),
            tokenForm('Enter a token with the write scope:'));
        } else {
          settingsMsg.replaceChildren(h('p', { class: 'error' }, e.message, e.advice ? h('div', { class: 'muted' }, e.advice) : null));
        }
      }
    });
    m.appendChild(h('section', { id: 'settings' }, h('h2', null, 'Sharing and notifications'),
      h('dl', null,
        h('dt', null, 'Shared with'),
        h('dd', { id: 'sharing' }, sharing.length ? sharing.join(', ') : 'nobody (this account only)'),
        h('dt', null, 'SNS notifications'),
        h('dd', { id: 'notifications' }, sns ? 'on: each new version is announced on the layer\'s topic' : 'off')),
      grants,
      h('details', { id: 'settings-edit' }, h('summary', null, 'Change (needs a write token; the next build applies it)'),
        h('p', null, h('label', { for: 'sharing-input' }, 'Share with '), sharingInput),
        h('p', null, snsInput, ' ', h('label', { for: 'sns-input' }, 'Announce new versions on SNS')),
        h('p', null, saveSettings), settingsMsg)));

    // builds
    const builds = h('div', null, h('span', { class: 'muted' }, '…'));
    m.appendChild(section('Builds', builds));
    const buildsDone = api('GET', '/api/v1/builds' + query({ layer: name, limit: 10 })).then((r) => {
      if (gen !== generation) return;
      const list = r.builds || [];
      builds.replaceChildren(list.length === 0 ? h('p', { class: 'empty' }, 'Never built.') :
        table('builds', ['Build', 'Status', 'Queued', 'Finished'], list.map((b) => h('tr', null,
          h('td', null, h('a', { href: buildHref(b.id) }, b.id.slice(0, 8))),
          h('td', null, statusBadge(b.status)), h('td', null, when(b.created)), h('td', null, when(b.finished))))));
    }, (e) => builds.replaceChildren(h('span', { class: 'error-inline' }, e.message)));

    // versions per region over time
    const perRegion = await Promise.all(regions.map(async (r) => {
      try {
        const v = await api('GET', path + '/versions' + query({ region: r }));
        return { region: r, versions: v.versions || [] };
      } catch (e) {
        return { region: r, versions: [], error: e.message };
      }
    }));
    if (gen !== generation) return;
    const byKey = new Map();
    for (const pr of perRegion) {
      for (const v of pr.versions) {
        const k = v.lambdaLayer + ':' + v.version;
        if (!byKey.has(k)) byKey.set(k, { lambdaLayer: v.lambdaLayer, version: v.version, regions: {} });
        byKey.get(k).regions[pr.region] = v;
      }
    }
    const rows = [...byKey.values()].sort((a, b) => a.lambdaLayer.localeCompare(b.lambdaLayer) || b.version - a.version);
    const regionSelect = h('select', { id: 'region' }, regions.map((r) => h('option', { value: r }, r)));
    regionSelect.value = region;
    regionSelect.addEventListener('change', () => { location.hash = layerHref(name) + query({ region: regionSelect.value }); });
    m.appendChild(section('Versions per region',
      perRegion.filter((p) => p.error).map((p) => h('p', { class: 'error-inline' }, p.region + ': ' + p.error)),
      rows.length === 0 ? h('p', { class: 'empty', id: 'versions-empty' }, 'No version is published yet.') :
        table('versions', ['Lambda layer', 'Version', ...regions], rows.map((row) => h('tr', null,
          h('td', null, row.lambdaLayer), h('td', null, 'v' + row.version),
          regions.map((r) => h('td', null, row.regions[r] ? when(row.regions[r].created) : '—'))))),
      h('p', null, h('label', { for: 'region' }, 'Region for the size chart, packages and diff: '), regionSelect)));

    const inRegion = (perRegion.find((p) => p.region === region) || { versions: [] }).versions;
    if (inRegion.length === 0) {
      await buildsDone;
      return;
    }
    const lambdaLayers = [...new Set(inRegion.map((v) => v.lambdaLayer))].sort();
    const lambdaLayer = lambdaLayers.includes(params.get('lambdaLayer')) ? params.get('lambdaLayer') : lambdaLayers[0];
    const versions = inRegion.filter((v) => v.lambdaLayer === lambdaLayer).sort((a, b) => a.version - b.version);
    const details = new Map();
    const describe = (v) => {
      if (!details.has(v.version)) {
        details.set(v.version, api('GET', path + '/versions/' + v.version + query({
          region: region, runtime: (v.runtimes || [])[0], arch: (v.architectures || [])[0],
        })));
      }
      return details.get(v.version);
    };
    if (lambdaLayers.length > 1) {
      const pick = h('select', { id: 'lambda-layer' }, lambdaLayers.map((l) => h('option', { value: l }, l)));
      pick.value = lambdaLayer;
      pick.addEventListener('change', () => { location.hash = layerHref(name) + query({ region: region, lambdaLayer: pick.value }); });
      m.appendChild(h('p', null, h('label', { for: 'lambda-layer' }, 'Lambda layer (one per target): '), pick));
    }

    // size chart
    const chartBox = h('div', { id: 'size-chart-box' }, h('span', { class: 'muted' }, '…'));
    m.appendChild(section('Unzipped size per version (' + lambdaLayer + ', ' + region + ')', chartBox));
    const shown = versions.slice(-CHART_VERSIONS);
    const sizes = await Promise.all(shown.map(async (v) => {
      try {
        const dv = await describe(v);
        const m2 = dv.manifest;
        const bytes = m2 && m2.sizes && typeof m2.sizes.unzippedBytes === 'number' ? m2.sizes.unzippedBytes : null;
        return { version: v.version, bytes: bytes };
      } catch (e) {
        return { version: v.version, bytes: null, error: e.message };
      }
    }));
    if (gen !== generation) return;
    chartBox.replaceChildren(sizeChart(sizes));

    // sharing as AWS has it, on the newest version
    const newest = versions[versions.length - 1];
    describe(newest).then((dv) => {
      if (gen !== generation) return;
      const gs = dv.sharing || [];
      grants.replaceChildren(h('p', null, 'On v' + dv.version + ' in ' + dv.region + ': ',
        dv.public ? 'public. ' : '',
        gs.length === 0 ? 'no grants.' : gs.map((g, i) => [i ? ', ' : '', g.principal + (g.organizationId ? ' (organization ' + g.organizationId + ')' : '')])));
    }, () => {});

    // packages of a version, with search
    const pkgVersion = h('select', { id: 'pkg-version' }, [...versions].reverse().map((v) => h('option', { value: v.version }, 'v' + v.version)));
    const search = h('input', { id: 'pkg-search', type: 'search', placeholder: 'Search packages', autocomplete: 'off' });
    const pkgCount = h('p', { id: 'pkg-count', class: 'muted' });
    const pkgBox = h('div', null);
    let packages = [];
    const showPackages = () => {
      const needle = search.value.trim().toLowerCase();
      const hit = packages.filter((p) => !needle || p.name.toLowerCase().includes(needle) || String(p.version).toLowerCase().includes(needle));
      pkgCount.textContent = hit.length + ' of ' + packages.length + ' packages';
      pkgBox.replaceChildren(table('packages', ['Package', 'Version', 'Unzipped'], hit.map((p) => h('tr', null,
        h('td', null, p.name), h('td', null, p.version), h('td', null, p.bytes === null ? '' : human(p.bytes))))));
    };
    const loadPackages = async () => {
      const v = versions.find((x) => String(x.version) === pkgVersion.value);
      pkgBox.replaceChildren(h('span', { class: 'muted' }, '…'));
      try {
        const dv = await describe(v);
        const sizesByName = new Map();
        for (const p of ((dv.manifest || {}).packages || [])) sizesByName.set(p.name, typeof p.unzippedBytes === 'number' ? p.unzippedBytes : null);
        packages = (dv.packages || []).map((p) => ({ name: p.name, version: p.version, bytes: sizesByName.has(p.name) ? sizesByName.get(p.name) : null }));
        if (gen !== generation) return;
        if (!dv.packages) {
          pkgBox.replaceChildren(h('p', { class: 'empty' }, 'This version has no manifest (it was not built by Accretion).'));
          return;
        }
        showPackages();
      } catch (e) {
        pkgBox.replaceChildren(h('span', { class: 'error-inline' }, e.message));
      }
    };
    search.addEventListener('input', showPackages);
    pkgVersion.addEventListener('change', loadPackages);
    m.appendChild(h('section', { id: 'packages-section' }, h('h2', null, 'Packages'),
      h('p', null, h('label', { for: 'pkg-version' }, 'Version '), pkgVersion, ' ', search), pkgCount, pkgBox));
    await loadPackages();

    // diff between two versions
    const options = () => [...versions].reverse().map((v) => h('option', { value: v.version }, 'v' + v.version));
    const from = h('select', { id: 'diff-from' }, options());
    const to = h('select', { id: 'diff-to' }, options());
    if (versions.length > 1) from.value = String(versions[versions.length - 2].version);
    const openDiff = h('button', { id: 'diff-open', type: 'button' }, 'Show diff');
    openDiff.addEventListener('click', () => {
      location.hash = layerHref(name) + '/diff' + query({
        region: region, from: from.value, to: to.value,
        runtime: (newest.runtimes || [])[0], arch: (newest.architectures || [])[0],
      });
    });
    m.appendChild(section('Diff', h('p', null, h('label', { for: 'diff-from' }, 'From '), from, ' ',
      h('label', { for: 'diff-to' }, 'to '), to, ' ', openDiff)));
    await buildsDone;
  }

  // what POST /import answered: per region how many versions are recorded, how many were skipped
  function importResult(r) {
    const regions = (r && r.regions) || [];
    return h('div', { class: 'import-result' },
      h('p', { id: 'import-summary' }, 'Imported from AWS: ',
        regions.map((x, i) => [i ? '; ' : '', x.region + ': ' + x.imported + ' imported, ' + x.skipped + ' skipped'])),
      table('import-result', ['Region', 'Imported', 'Skipped', 'Versions recorded'], regions.map((x) => h('tr', { 'data-region': x.region },
        h('td', null, x.region), h('td', { class: 'imported' }, String(x.imported)), h('td', { class: 'skipped' }, String(x.skipped)),
        h('td', { class: 'recorded' }, (x.versions || []).map((v, i) => [i ? ', ' : '', v.lambdaLayer + ' v' + v.version]))))),
      h('p', { class: 'muted' }, 'Skipped: versions without Accretion\u2019s marker or manifest (published by other tools).'));
  }

  function sizeChart(sizes) {
    const W = 680;
    const H = 280;
    const L = 70;
    const R = 110;
    const T = 20;
    const B = 40;
    const pw = W - L - R;
    const ph = H - T - B;
    const known = sizes.filter((x) => x.bytes !== null).map((x) => x.bytes);
    const top = Math.max(LIMIT_BYTES, ...known) * 1.05;
    const y = (b) => T + ph - (b / top) * ph;
    const svg = s('svg', { id: 'size-chart', viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img' },
      s('title', null, 'Unzipped size per version against the 250 MB limit'));
    for (let mb = 0; mb * 1048576 <= top; mb += 50) {
      const yy = y(mb * 1048576);
      svg.appendChild(s('line', { x1: L, x2: L + pw, y1: yy, y2: yy, class: 'grid' }));
      svg.appendChild(s('text', { x: L - 6, y: yy + 4, 'text-anchor': 'end', class: 'axis' }, mb + ' MB'));
    }
    const band = pw / Math.max(sizes.length, 1);
    const bw = Math.min(48, band * 0.6);
    sizes.forEach((x, i) => {
      const cx = L + band * i + band / 2;
      if (x.bytes !== null) {
        const hgt = Math.max(2, (x.bytes / top) * ph);
        svg.appendChild(s('rect', { x: cx - bw / 2, y: T + ph - hgt, width: bw, height: hgt, class: 'bar', 'data-version': x.version, 'data-bytes': x.bytes },
          s('title', null, 'v' + x.version + ': ' + human(x.bytes) + ' unzipped (' + (100 * x.bytes / LIMIT_BYTES).toFixed(1) + '% of 250 MB)')));
        svg.appendChild(s('text', { x: cx, y: T + ph - hgt - 5, 'text-anchor': 'middle', class: 'value' }, human(x.bytes) + ' · ' + (100 * x.bytes / LIMIT_BYTES).toFixed(1) + '%'));
      } else {
        svg.appendChild(s('text', { x: cx, y: T + ph - 5, 'text-anchor': 'middle', class: 'value' }, 'no manifest'));
      }
      svg.appendChild(s('text', { x: cx, y: T + ph + 18, 'text-anchor': 'middle', class: 'axis' }, 'v' + x.version));
    });
    const ly = y(LIMIT_BYTES);
    svg.appendChild(s('line', { x1: L, x2: L + pw, y1: ly, y2: ly, class: 'limit', id: 'size-limit' }));
    svg.appendChild(s('text', { x: L + pw + 6, y: ly + 4, class: 'limit-label' }, '250 MB limit'));
    svg.appendChild(s('line', { x1: L, x2: L, y1: T, y2: T + ph, class: 'axis-line' }));
    svg.appendChild(s('line', { x1: L, x2: L + pw, y1: T + ph, y2: T + ph, class: 'axis-line' }));
    return svg;
  }

  // ---- diff ----

  async function diffPage(m, gen, name, params) {
    m.appendChild(h('p', null, h('a', { href: layerHref(name) + query({ region: params.get('region') }) }, '← ' + name)));
    m.appendChild(h('h1', null, 'Diff ', h('span', { id: 'diff-title' }, name + ' v' + params.get('from') + ' → v' + params.get('to')),
      h('span', { class: 'muted' }, ' ' + (params.get('region') || ''))));
    if (!NAME.test(name)) throw new Error('“' + name + '” is not a layer name');
    const r = await api('GET', '/api/v1/layers/' + encodeURIComponent(name) + '/diff' + query({
      region: params.get('region'), from: params.get('from'), to: params.get('to'),
      runtime: params.get('runtime'), arch: params.get('arch'),
    }));
    if (gen !== generation) return;
    const added = r.added || [];
    const removed = r.removed || [];
    const changed = r.changed || [];
    if (added.length + removed.length + changed.length === 0) {
      m.appendChild(h('p', { class: 'empty', id: 'diff-none' }, 'The two versions hold the same packages.'));
      return;
    }
    const rows = [];
    for (const p of added) rows.push(h('tr', { class: 'added' }, h('td', null, 'added'), h('td', null, p.name), h('td', null, ''), h('td', null, p.version)));
    for (const p of removed) rows.push(h('tr', { class: 'removed' }, h('td', null, 'removed'), h('td', null, p.name), h('td', null, p.version), h('td', null, '')));
    for (const p of changed) rows.push(h('tr', { class: 'changed' }, h('td', null, 'changed'), h('td', null, p.name), h('td', null, p.from), h('td', null, p.to)));
    m.appendChild(h('p', null, added.length + ' added, ' + removed.length + ' removed, ' + changed.length + ' changed'));
    m.appendChild(table('diff', ['Change', 'Package', 'v' + r.from, 'v' + r.to], rows));
  }

  // ---- build ----

  async function buildPage(m, gen, id) {
    m.appendChild(h('h1', null, 'Build ', h('span', { id: 'build-id' }, id)));
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error('“' + id + '” is not a build id');
    const box = h('div', null);
    m.appendChild(box);
    const poll = async () => {
      if (gen !== generation) return;
      let b;
      try {
        b = await api('GET', '/api/v1/builds/' + encodeURIComponent(id));
      } catch (e) {
        if (gen === generation) showError(m, e);
        return;
      }
      if (gen !== generation) return;
      renderBuild(box, b);
      if (b.status === 'queued' || b.status === 'running') timer = setTimeout(poll, 1000);
    };
    await poll();
  }

  function renderBuild(box, b) {
    const children = [
      h('dl', null,
        h('dt', null, 'Layer'), h('dd', null, h('a', { href: layerHref(b.layer) }, b.layer)),
        h('dt', null, 'Status'), h('dd', null, statusBadge(b.status, 'build-status')),
        h('dt', null, 'Stage'), h('dd', { id: 'build-stage' }, b.stage || '—'),
        h('dt', null, 'Attempts'), h('dd', null, String(b.attempts)),
        h('dt', null, 'Runner'), h('dd', null, b.runner || '—'),
        h('dt', null, 'Queued'), h('dd', null, when(b.created)),
        h('dt', null, 'Started'), h('dd', null, when(b.started)),
        h('dt', null, 'Finished'), h('dd', null, when(b.finished))),
      h('h2', null, 'Log', b.status === 'queued' || b.status === 'running' ? h('span', { class: 'muted' }, ' (live, every second)') : null),
      h('pre', { id: 'build-log', class: 'log' }, (b.log || []).join('\n') || '(nothing yet)'),
    ];
    const result = b.result;
    if (result && result.layers) {
      const rows = [];
      for (const l of result.layers) {
        for (const r of l.regions || []) {
          rows.push(h('tr', null, h('td', null, l.name), h('td', null, r.region), h('td', null, r.version ? 'v' + r.version : '—'),
            h('td', null, r.error ? 'failed' : r.published ? 'published' : 'unchanged'),
            h('td', { class: 'arn' }, r.error || r.layerVersionArn || '')));
        }
      }
      children.push(h('h2', null, 'Result'), table('build-result', ['Lambda layer', 'Region', 'Version', 'Outcome', 'ARN or error'], rows));
    }
    // what a scheduled or event-caused build records beside the publish result, when present
    if (result && (result.cause || result.outcome)) {
      children.push(h('dl', { id: 'build-cause' },
        result.cause ? [h('dt', null, 'Cause'), h('dd', null, String(result.cause))] : null,
        result.outcome ? [h('dt', null, 'Outcome'), h('dd', null, String(result.outcome))] : null));
    }
    const changes = result && result.changes;
    if (changes && typeof changes === 'object') {
      const rows = [];
      for (const p of changes.added || []) rows.push(h('tr', { class: 'added' }, h('td', null, 'added'), h('td', null, p.name), h('td', null, ''), h('td', null, p.version)));
      for (const p of changes.removed || []) rows.push(h('tr', { class: 'removed' }, h('td', null, 'removed'), h('td', null, p.name), h('td', null, p.version), h('td', null, '')));
      for (const p of changes.changed || []) rows.push(h('tr', { class: 'changed' }, h('td', null, 'changed'), h('td', null, p.name), h('td', null, p.from), h('td', null, p.to)));
      if (rows.length) children.push(h('h2', null, 'Package changes'), table('build-changes', ['Change', 'Package', 'Before', 'After'], rows));
    }
    if (result && Array.isArray(result.events) && result.events.length) {
      children.push(h('h2', null, 'Caused by'), h('ul', { id: 'build-events' },
        result.events.map((e) => h('li', null, eventText(e), ' ', h('span', { class: 'muted' }, when(e.seen))))));
    }
    if (b.error) {
      children.push(h('h2', null, 'Error'), h('div', { class: 'error', id: 'build-error' }, b.error.detail || b.error.title || JSON.stringify(b.error),
        b.error.advice ? h('div', { class: 'muted' }, b.error.advice) : null));
    }
    box.replaceChildren(...children);
  }

  // ---- events ----

  async function eventsPage(m, gen, params) {
    const layer = params.get('layer') || '';
    m.appendChild(h('h1', null, 'Events'));
    const input = h('input', { id: 'events-layer', type: 'search', placeholder: 'layer', value: layer });
    const go = () => { location.hash = '#/events' + query({ layer: input.value.trim() }); };
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') go(); });
    m.appendChild(h('p', null, h('label', { for: 'events-layer' }, 'Layer '), input, ' ', h('button', { type: 'button', id: 'events-filter', onclick: go }, 'Filter')));
    let r;
    try {
      r = await api('GET', '/api/v1/events' + query({ layer: layer }));
    } catch (e) {
      // a server without the event source answers with its generic not-found problem
      if (e.status === 404 && /^(Endpoint GET |no such resource)/.test(e.message)) {
        m.appendChild(h('p', { class: 'empty', id: 'events-empty' }, 'No events: this server records no upstream events.'));
        return;
      }
      throw e;
    }
    if (gen !== generation) return;
    const events = Array.isArray(r) ? r : (r && r.events) || [];
    if (events.length === 0) {
      m.appendChild(h('p', { class: 'empty', id: 'events-empty' }, layer ? 'No events for ' + layer + '.' : 'No events yet.'));
      return;
    }
    m.appendChild(table('events', ['When', 'Layer', 'Event', 'Source', 'Build'], events.map((e) => {
      const build = typeof e.build === 'object' && e.build ? e.build.id : e.build || e.buildId;
      return h('tr', null,
        h('td', null, when(e.seen || e.at || e.time || e.created || e.recorded)),
        h('td', null, e.layer ? h('a', { href: layerHref(e.layer) }, e.layer) : '—'),
        h('td', null, eventText(e)),
        h('td', null, e.source || ''),
        h('td', null, build ? h('a', { href: buildHref(build) }, String(build).slice(0, 8),
          e.buildStatus ? [' ', statusBadge(e.buildStatus)] : null) : '—'));
    })));
  }

  function eventText(e) {
    return e.text || e.summary || e.message || e.description ||
      [e.ecosystem, e.name || e.package, e.version].filter(Boolean).join(' ') + ' released';
  }

  window.addEventListener('hashchange', route);
  route();
})();
