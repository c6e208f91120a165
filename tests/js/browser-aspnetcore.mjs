// Browser scenarios against the running ASP.NET Core sample (samples/AspNetCore, its page wwwroot/index.html),
// in Debian's Chromium driven by playwright-core.
//   node tests/js/browser-aspnetcore.mjs <base-url> <output-folder>
// Prints one JSON line per scenario: {"scenario": name, "pass": bool, "detail": text}. Exit code 0 when
// the run itself worked (scenario failures are reported, not thrown); 2 when it could not start.
// The sample listens on http://127.0.0.1: Chromium counts that origin as potentially trustworthy, so it keeps the
// Secure __Host- cookie without TLS, as it would on https.
import fs from 'node:fs';
import path from 'node:path';
import { commandLine, cookieFlags, cookieNamed, postFromAttacker, runInChromium, scenario, statusWithCookie } from './browser-common.mjs';

const { base, outDir } = commandLine('browser-aspnetcore.mjs');
const cookieName = '__Host-session';
const meWithCookie = (cookie) => statusWithCookie(`${base}/me`, cookieName, cookie);
const sessionCookie = async (context) => (await cookieNamed(context, base, cookieName))?.value;

// A text/plain form whose single field spells a JSON document: the classic cross-site JSON POST.
const jsonForm = (json) => {
  const text = JSON.stringify({ ...json, pad: '' });
  return { fields: [[text.slice(0, -2), '"}']], enctype: 'text/plain' };
};

// What each forged form sends: what an attacker would want each endpoint to do.
const forged = {
  '/logout': { fields: [['csrf', 'guessed']] },
  '/elevate': jsonForm({ password: 'alice-password' }),
  '/token': { fields: [] },
  '/sessions/revoke-others': { fields: [] },
  '/login': jsonForm({ user: 'alice', password: 'alice-password' }),
};

// The status each forged POST gets. Cross-site (http://localhost:PORT, another site), SameSite=Strict keeps the
// cookie home, so the request arrives anonymous: 401 from the endpoints that require a user, and 415 from the
// JSON endpoints, whose routes accept application/json only (no form can send it), so routing answers before
// any other check. Same site but another origin (http://127.0.0.1:PORT), the cookie goes along and the CSRF
// middleware's origin check answers 403 before routing's 415 or the endpoint.
const expected = {
  'cross-site': { '/logout': 401, '/elevate': 415, '/token': 401, '/sessions/revoke-others': 401, '/login': 415 },
  'sibling-origin': { '/logout': 403, '/elevate': 403, '/token': 403, '/sessions/revoke-others': 403, '/login': 403 },
};

async function open(page) {
  await page.goto(`${base}/`);
  await page.waitForFunction(() => Number(document.body.dataset.renders ?? 0) > 0);
}

// Clicks a button of the page, waits for the request it makes and for the page to render the outcome.
async function click(page, selector, method, target) {
  const renders = Number(await page.getAttribute('body', 'data-renders') ?? 0);
  const answered = page.waitForResponse((r) => r.url() === `${base}${target}` && r.request().method() === method);
  await page.click(selector);
  const status = (await answered).status();
  await page.waitForFunction((n) => Number(document.body.dataset.renders ?? 0) > n, renders);
  return status;
}

async function signIn(page) {
  await open(page);
  await page.fill('#login input[name=user]', 'alice');
  await page.fill('#login input[name=password]', 'alice-password');
  const status = await click(page, '#login button[type=submit]', 'POST', '/login');
  const greeting = await page.isVisible('#greeting') ? await page.textContent('#greeting') : null;
  return { status, greeting };
}

async function meStatus(page) {
  return (await page.goto(`${base}/me`)).status();
}

await runInChromium(async ({ context, newContext, attacker }) => {
  const page = context.pages()[0] ?? await context.newPage();

  await scenario('sign-in', async () => {
    const { status, greeting } = await signIn(page);
    return [status === 200 && greeting === 'Signed in as alice', `POST /login: ${status}; greeting: ${greeting}`];
  });

  await scenario('screenshot', async () => {
    const file = path.join(outDir, 'aspnetcore-signed-in.png');
    await open(page);
    await page.screenshot({ path: file, fullPage: true });
    return [fs.statSync(file).size > 1000, file];
  });

  await scenario('session-cookie-flags', () => cookieFlags(context, page, base, cookieName));

  const attacks = [['cross-site', attacker.crossSite, false], ['sibling-origin', attacker.sameSite, true]];
  for (const [kind, origin, cookieExpected] of attacks) {
    for (const target of ['/logout', '/elevate', '/token', '/sessions/revoke-others']) {
      await scenario(`${kind}-post-refused-${target.slice(1).replace('/', '-')}`, async () => {
        const before = await sessionCookie(context);
        const { fields, enctype } = forged[target];
        const { status, headers } = await postFromAttacker(page, `${base}${target}`, attacker.formPage(origin, `${base}${target}`, fields, enctype));
        const cookieSent = (headers.cookie ?? '').includes(`${cookieName}=`);
        const alive = await meStatus(page);
        const after = await sessionCookie(context);
        const pass = status === expected[kind][target] && cookieSent === cookieExpected && alive === 200 && !!before && before === after;
        return [pass, `${kind} POST ${target}: ${status} (cookie ${cookieSent ? 'sent' : 'withheld'}); /me afterwards: ${alive}; cookie ${before === after ? 'unchanged' : 'changed'}`];
      });
    }

    // Login CSRF: no session of the attacker's choosing may be planted (here alice's own would replace the cookie).
    await scenario(`${kind}-login-refused`, async () => {
      const before = await sessionCookie(context);
      const { fields, enctype } = forged['/login'];
      const { status } = await postFromAttacker(page, `${base}/login`, attacker.formPage(origin, `${base}/login`, fields, enctype));
      const after = await sessionCookie(context);
      return [status === expected[kind]['/login'] && !!before && before === after, `${kind} POST /login: ${status}; cookie ${before === after ? 'unchanged' : 'changed'}`];
    });
  }

  // The one way another site's script could send JSON: fetch with credentials, which needs a CORS preflight. The
  // sample grants no CORS (OPTIONS /login answers 405 without Access-Control-* headers), so Chromium never sends
  // the POST and the fetch rejects; the cookie staying as it was shows no sign-in happened.
  await scenario('cross-site-json-login-blocked', async () => {
    const before = await sessionCookie(context);
    await page.goto(attacker.blankPage(attacker.crossSite));
    const outcome = await page.evaluate((url) => fetch(url, {
      method: 'POST', mode: 'cors', credentials: 'include',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: 'alice', password: 'alice-password' }),
    }).then((r) => `answered ${r.status}`, (e) => e.name), `${base}/login`);
    const after = await sessionCookie(context);
    return [outcome === 'TypeError' && !!before && before === after,
      `fetch: ${outcome}; cookie ${before === after ? 'unchanged' : 'changed'}`];
  });

  await scenario('step-up-rotates-cookie', async () => {
    const old = await sessionCookie(context);
    await open(page);
    await page.fill('#elevate input[name=password]', 'alice-password');
    const status = await click(page, '#elevate button[type=submit]', 'POST', '/elevate');
    const renewed = await sessionCookie(context);
    const level = await page.textContent('#level');
    const oldStatus = await meWithCookie(old);
    const newStatus = await meWithCookie(renewed);
    const pass = status === 200 && !!old && !!renewed && old !== renewed && oldStatus === 401 && newStatus === 200 && /stepped up/.test(level);
    return [pass, `POST /elevate: ${status}; cookie ${old !== renewed ? 'changed' : 'unchanged'}; old cookie → ${oldStatus}; new cookie → ${newStatus}; level: ${level}`];
  });

  await scenario('sign-out', async () => {
    const old = await sessionCookie(context);
    await open(page);
    const status = await click(page, '#logout button[type=submit]', 'POST', '/logout');
    const signInShown = await page.isVisible('#login');
    const remaining = await sessionCookie(context);
    const oldStatus = old ? await meWithCookie(old) : 0;
    const pass = status === 204 && signInShown && !remaining && oldStatus === 401;
    return [pass, `POST /logout: ${status}; sign-in form ${signInShown ? 'shown' : 'missing'}; cookie ${remaining ? 'kept' : 'deleted'}; old cookie → ${oldStatus}`];
  });

  // Two browsers signed in as alice; the second ends the first's session from its list of sessions.
  await scenario('revoke-one-session', async () => {
    const first = await signIn(page);
    const firstCookie = await sessionCookie(context);
    const firstId = await page.getAttribute('#sessions li.current', 'data-id');
    const other = await newContext();
    const otherPage = other.pages()[0] ?? await other.newPage();
    const second = await signIn(otherPage);
    const revoked = await click(otherPage, `#sessions li[data-id="${firstId}"] button`, 'DELETE', `/sessions/${firstId}`);
    const listed = await otherPage.$$eval('#sessions li', (items) => items.map((li) => li.dataset.id));
    await open(page);
    const signInShown = await page.isVisible('#login');
    const firstStatus = await meWithCookie(firstCookie);
    const secondStatus = await meWithCookie(await sessionCookie(other));
    const pass = first.status === 200 && second.status === 200 && !!firstId && revoked === 204 && !listed.includes(firstId)
      && signInShown && firstStatus === 401 && secondStatus === 200;
    return [pass, `sign-ins: ${first.status}, ${second.status}; DELETE /sessions/{first}: ${revoked}; still listed: ${listed.includes(firstId)}; `
      + `first browser shows sign-in: ${signInShown}; first cookie → ${firstStatus}; second cookie → ${secondStatus}`];
  });
});
