// The llmspell playground: plain JavaScript against the public HTTP API, no build step.
// A run is started with POST /spells/{name}/runs and watched with GET /runs/{id}/events,
// read with fetch() so that an API key can go along (EventSource cannot send headers);
// the stream resumes with Last-Event-ID when the connection drops.
'use strict';

const $ = (id) => document.getElementById(id);
const state = { spell: null, runId: null, watch: null, startedAt: 0, timer: null };

const keyInput = $('api-key');
keyInput.value = sessionStorage.getItem('llmspell.apiKey') || '';
keyInput.addEventListener('change', () => { sessionStorage.setItem('llmspell.apiKey', keyInput.value); loadSpells(); });

function headers(extra) {
  const h = Object.assign({}, extra);
  if (keyInput.value) h.Authorization = 'Bearer ' + keyInput.value;
  return h;
}

async function problemText(response) {
  try {
    const p = await response.json();
    return `${response.status} ${p.title || ''}: ${p.detail || ''}`;
  } catch (e) {
    return `${response.status} ${response.statusText}`;
  }
}

async function loadSpells() {
  const list = $('spells');
  const response = await fetch('spells', { headers: headers({ Accept: 'application/json' }) });
  if (!response.ok) { list.innerHTML = `<li class="error">${await problemText(response)}</li>`; return; }
  const spells = await response.json();
  list.replaceChildren(...spells.map((spell) => {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.spell = spell.name;
    button.textContent = spell.name;
    const small = document.createElement('small');
    // a broken spell says where: its run would answer 409
    small.textContent = spell.status === 'broken'
      ? 'broken: ' + (spell.error.file || '') + (spell.error.line ? ':' + spell.error.line : '') + ' ' + spell.error.message
      : (spell.description || '');
    button.append(small);
    button.addEventListener('click', () => selectSpell(spell.name));
    li.append(button);
    return li;
  }));
  if (!spells.length) list.innerHTML = '<li class="muted">no spells</li>';
  const wanted = new URLSearchParams(location.search).get('spell');
  if (wanted && !state.spell) selectSpell(wanted);
}

async function selectSpell(name) {
  const response = await fetch('spells/' + encodeURIComponent(name), { headers: headers({ Accept: 'application/json' }) });
  if (!response.ok) { $('form-error').textContent = await problemText(response); return; }
  const spell = await response.json();
  state.spell = spell;
  document.querySelectorAll('#spells button').forEach((b) => b.classList.toggle('selected', b.dataset.spell === name));
  $('spell-empty').hidden = true;
  $('run-form').hidden = false;
  $('spell-name').textContent = spell.name + (spell.version ? ' ' + spell.version : '');
  $('spell-description').textContent = spell.description || '';
  $('form-error').textContent = '';
  renderForm(spell.inputSchema || { properties: {} });
}

// One input per property of the spell's input schema, of the property's type.
function renderForm(schema) {
  const box = $('params');
  box.replaceChildren(box.querySelector('legend'));
  const required = new Set(schema.required || []);
  const names = Object.keys(schema.properties || {});
  if (!names.length) box.append(Object.assign(document.createElement('p'), { className: 'muted', textContent: 'no parameters' }));
  for (const name of names) {
    const prop = schema.properties[name];
    const row = document.createElement('div');
    row.className = 'param';
    const label = document.createElement('label');
    label.htmlFor = 'param-' + name;
    label.innerHTML = `<span class="name"></span><span class="type"></span>${required.has(name) ? ' <span class="required">*</span>' : ''}`;
    label.querySelector('.name').textContent = name;
    label.querySelector('.type').textContent = prop.type;
    let input;
    if (prop.enum) {
      input = document.createElement('select');
      if (!required.has(name) && prop.default === undefined) input.append(new Option('', ''));
      for (const value of prop.enum) input.append(new Option(String(value), JSON.stringify(value)));
      if (prop.default !== undefined) input.value = JSON.stringify(prop.default);
    } else if (prop.type === 'boolean') {
      input = document.createElement('input');
      input.type = 'checkbox';
      input.checked = prop.default === true;
    } else if (prop.type === 'array' || prop.type === 'object') {
      input = document.createElement('textarea');
      input.placeholder = prop.type === 'array' ? '["a", "b"]' : '{"key": "value"}';
      if (prop.default !== undefined) input.value = JSON.stringify(prop.default);
    } else {
      input = document.createElement('input');
      input.type = (prop.type === 'integer' || prop.type === 'number') ? 'number' : 'text';
      if (prop.type === 'number') input.step = 'any';
      if (prop.default !== undefined) input.value = String(prop.default);
    }
    input.id = 'param-' + name;
    input.name = name;
    input.dataset.type = prop.type;
    input.dataset.enum = prop.enum ? 'true' : '';
    const help = document.createElement('span');
    help.className = 'help';
    help.textContent = prop.description || '';
    row.append(label, help, input);
    box.append(row);
  }
}

// The form's values as the run's params, each of its schema type; empty fields are left out.
function readParams() {
  const params = {};
  for (const input of $('params').querySelectorAll('input, select, textarea')) {
    const type = input.dataset.type;
    if (type === 'boolean' && !input.dataset.enum) { params[input.name] = input.checked; continue; }
    const raw = input.value.trim();
    if (raw === '') continue;
    if (input.dataset.enum) { params[input.name] = JSON.parse(raw); continue; }
    if (type === 'integer' || type === 'number') params[input.name] = Number(raw);
    else if (type === 'array' || type === 'object') {
      try { params[input.name] = JSON.parse(raw); } catch (e) { throw new Error(`${input.name}: not valid JSON (${e.message})`); }
    } else params[input.name] = raw;
  }
  return params;
}

function readOptions() {
  const options = {};
  if ($('opt-provider').value.trim()) options.provider = $('opt-provider').value.trim();
  if ($('opt-model').value.trim()) options.model = $('opt-model').value.trim();
  if ($('opt-timeout').value.trim()) options.timeout = Number($('opt-timeout').value);
  return options;
}

$('run-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('form-error').textContent = '';
  let body;
  try { body = { params: readParams(), options: readOptions() }; } catch (err) { $('form-error').textContent = err.message; return; }
  const response = await fetch('spells/' + encodeURIComponent(state.spell.name) + '/runs', {
    method: 'POST',
    headers: headers({ 'Content-Type': 'application/json', Accept: 'application/json' }),
    body: JSON.stringify(body),
  });
  if (response.status !== 202) { $('form-error').textContent = await problemText(response); return; }
  const accepted = await response.json();
  watch(accepted.runId);
});

$('attach-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const id = $('attach-id').value.trim();
  if (id) watch(id);
});

$('cancel').addEventListener('click', async () => {
  if (!state.runId) return;
  const response = await fetch('runs/' + encodeURIComponent(state.runId), { method: 'DELETE', headers: headers() });
  if (response.status !== 202) $('form-error').textContent = await problemText(response);
});

function resetRun(runId) {
  if (state.watch) state.watch.abort();
  clearInterval(state.timer);
  state.runId = runId;
  state.startedAt = performance.now();
  $('run-id').textContent = runId;
  $('output').textContent = '';
  $('result').textContent = '';
  $('events').replaceChildren();
  for (const id of ['duration', 'calls', 'tokens']) $(id).textContent = '–';
  setStatus('queued');
  $('cancel').disabled = false;
  state.timer = setInterval(() => { $('elapsed').textContent = ((performance.now() - state.startedAt) / 1000).toFixed(1) + ' s'; }, 100);
}

function setStatus(status) {
  const el = $('status');
  el.textContent = status;
  el.className = 'status ' + status;
}

// Streams the run's events until done, resuming after the last id seen when the stream breaks.
async function watch(runId) {
  resetRun(runId);
  const controller = new AbortController();
  state.watch = controller;
  let lastId = 0;
  let done = false;
  for (let attempt = 0; !done && attempt < 20 && !controller.signal.aborted; attempt++) {
    try {
      const response = await fetch('runs/' + encodeURIComponent(runId) + '/events', {
        headers: headers(Object.assign({ Accept: 'text/event-stream' }, lastId ? { 'Last-Event-ID': String(lastId) } : {})),
        signal: controller.signal,
      });
      if (response.status === 204) break;
      if (!response.ok) { setStatus('failed'); $('form-error').textContent = await problemText(response); break; }
      for await (const event of sseEvents(response.body)) {
        lastId = Number(event.id) || lastId;
        show(event);
        if (event.event === 'done') { done = true; break; }
      }
    } catch (err) {
      if (controller.signal.aborted) return;
    }
    if (!done) await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  if (state.watch === controller) finish();
}

function finish() {
  clearInterval(state.timer);
  $('cancel').disabled = true;
}

// Parses a text/event-stream body into {id, event, data} objects; comments (heartbeats) are skipped.
async function* sseEvents(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = { data: [] };
  while (true) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let newline;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (event.data.length) yield { id: event.id, event: event.event || 'message', data: JSON.parse(event.data.join('\n')) };
        event = { data: [] };
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') event.data.push(text);
        else if (field === 'event') event.event = text;
        else if (field === 'id') event.id = text;
      }
    }
  }
}

function show(event) {
  const li = document.createElement('li');
  li.dataset.event = event.event;
  const at = ((performance.now() - state.startedAt) / 1000).toFixed(2) + 's';
  li.innerHTML = '<span class="id"></span><span class="at"></span><span class="name"></span><span class="data"></span>';
  li.querySelector('.id').textContent = event.id;
  li.querySelector('.at').textContent = at;
  li.querySelector('.name').textContent = event.event;
  li.querySelector('.data').textContent = summary(event);
  const list = $('events');
  list.append(li);
  list.scrollTop = list.scrollHeight;
  const data = event.data;
  switch (event.event) {
    case 'start': setStatus('running'); break;
    case 'output': $('output').textContent += data.text + '\n'; break;
    case 'done': {
      setStatus(data.status);
      $('duration').textContent = data.durationMs + ' ms';
      $('result').textContent = JSON.stringify(data.result, null, 2);
      const usage = data.usage || {};
      $('calls').textContent = usage.calls ?? '–';
      $('tokens').textContent = `${usage.promptTokens ?? '?'} in / ${usage.completionTokens ?? '?'} out`;
      break;
    }
    default:
  }
}

function summary(event) {
  const d = event.data;
  switch (event.event) {
    case 'output': return d.text;
    case 'chunk': return `${d.callId}: ${d.text}`;
    case 'callback': return `${d.callId} ${d.kind} ${d.ok ? 'ok' : 'failed'} ${d.elapsedMs} ms: ${JSON.stringify(d.ok ? d.result : d.error)}`;
    case 'log': return `${d.level} ${d.message}${d.fields && Object.keys(d.fields).length ? ' ' + JSON.stringify(d.fields) : ''}`;
    case 'error': return `${d.kind}: ${d.message}`;
    case 'done': return `${d.status} in ${d.durationMs} ms`;
    case 'start': return `${d.spell} ${d.version || ''} on ${d.provider}/${d.model}`;
    default: return JSON.stringify(d);
  }
}

loadSpells();
