// The sample's page: a few JSON calls to the endpoints in Endpoints.cs and the package's /sessions.
// The session cookie is HttpOnly, so this script never sees it; it keeps only the CSRF token the server hands out
// (from /login, /me and /elevate) and sends it as X-CSRF-Token on every unsafe request.
'use strict';

let csrf = null;
let renders = 0;
const $ = (id) => document.getElementById(id);

async function call(method, path, body, headers = {}) {
  const init = { method, headers: { ...headers }, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET' && csrf) {
    init.headers['X-CSRF-Token'] = csrf;
  }
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const json = response.headers.get('Content-Type')?.includes('json') ? await response.json() : null;
  csrf = json?.csrfToken ?? csrf;
  return { status: response.status, json };
}

// Text only (textContent, append): a device name or user name never becomes markup.
async function show() {
  const me = await call('GET', '/me');
  const signedIn = me.status === 200;
  $('login').hidden = signedIn;
  $('signed-in').hidden = !signedIn;
  if (signedIn) {
    $('greeting').textContent = `Signed in as ${me.json.user}`;
    $('level').textContent = me.json.authenticationLevel >= 2 ? 'stepped up (level 2)' : 'level 1';
    const list = await call('GET', '/sessions');
    $('sessions').replaceChildren(...(list.json?.sessions ?? []).map(item));
  } else {
    csrf = null;
    $('sessions').replaceChildren();
    $('profile').textContent = '';
  }
  document.body.dataset.renders = String(++renders);
}

function item(s) {
  const li = document.createElement('li');
  li.dataset.id = s.id;
  li.className = s.current ? 'current' : '';
  li.append(`${s.device} · since ${new Date(s.createdAt).toLocaleString()} · level ${s.authenticationLevel}${s.current ? ' · this browser ' : ' '}`);
  if (!s.current) {
    const revoke = document.createElement('button');
    revoke.textContent = 'Sign out';
    revoke.addEventListener('click', () => act('DELETE', `/sessions/${encodeURIComponent(s.id)}`));
    li.append(revoke);
  }
  return li;
}

async function act(method, path, body) {
  const result = await call(method, path, body);
  $('status').textContent = result.status >= 400 ? `${method} ${path}: ${result.status} ${result.json?.error ?? ''}` : '';
  await show();
  return result;
}

function on(form, handler) {
  $(form).addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(event.target));
    event.target.querySelectorAll('input[type=password]').forEach((input) => { input.value = ''; });
    await handler(data);
  });
}

on('login', (d) => act('POST', '/login', { user: d.user, password: d.password }));
on('elevate', (d) => act('POST', '/elevate', { password: d.password }));
on('logout', () => act('POST', '/logout'));
on('revoke-others', () => act('POST', '/sessions/revoke-others'));
on('token', async () => {
  // The tokens stay in this function: an API client would keep the refresh token and rotate it at /oauth/token.
  const tokens = await call('POST', '/token');
  const profile = tokens.status === 200
    ? await call('GET', '/api/profile', undefined, { Authorization: `Bearer ${tokens.json.access_token}` })
    : tokens;
  $('profile').textContent = `${profile.status} ${JSON.stringify(profile.json)}`;
});
show();
