// Browser scenarios against a running DemoHost, in Debian's Chromium driven by playwright-core.
//   node tests/js/browser-demohost.mjs <base-url> <output-folder>
// Prints one JSON line per scenario: {"scenario": name, "pass": bool, "detail": text}. Exit code 0 when
// the run itself worked (scenario failures are reported, not thrown); 2 when it could not start.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [baseArg, outArg] = process.argv.slice(2);
if (!baseArg || !outArg) {
  console.error('usage: node browser-demohost.mjs <base-url> <output-folder>');
  process.exit(2);
}

const base = new URL(baseArg).origin;
const outDir = path.resolve(outArg);
fs.mkdirSync(outDir, { recursive: true });
const executablePath = process.env.SESSIONCORE_CHROMIUM || '/usr/bin/chromium';
const cookieName = '__Host-session';

function report(scenario, pass, detail) {
  console.log(JSON.stringify({ scenario, pass: !!pass, detail: String(detail ?? '') }));
}

async function scenario(name, body) {
  try {
    const [pass, detail] = await body();
    report(name, pass, detail);
    return pass;
  } catch (error) {
    report(name, false, `${error?.name ?? 'Error'}: ${error?.message ?? error}`.slice(0, 500));
    return false;
  }
}

// GET with an explicit Cookie header, outside the browser: proves what an old cookie value is still worth.
function getWithCookie(url, cookie) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { Cookie: `${cookieName}=${cookie}` } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
    });
    request.on('error', reject);
  });
}

// A page on another site (localhost is another host than 127.0.0.1) that auto-submits a form to DemoHost.
function startAttackerSite() {
  const server = http.createServer((request, response) => {
    const target = new URL(request.url, 'http://localhost').searchParams.get('target') ?? '/logout';
    const fields = target === '/password'
      ? '<input name="current" value="alice-password"><input name="new" value="attacker-chosen-passphrase">'
      : target === '/login'
        ? '<input name="username" value="bob"><input name="password" value="bob-password">'
        : '<input name="csrf" value="guessed">';
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(`<!DOCTYPE html><html><body><form id="f" method="post" action="${base}${target}">${fields}</form>` +
      '<script>document.getElementById("f").submit();</script></body></html>');
  });
  return new Promise((resolve) => server.listen(0, () => resolve(server)));
}

// Submits a form and waits for its POST and for the page the 303 leads to, so later checks see the outcome.
async function submit(page, form, action) {
  const posted = page.waitForResponse((r) => r.url() === `${base}${action}` && r.request().method() === 'POST');
  const landed = page.waitForResponse((r) => r.url() === `${base}/` && r.request().method() === 'GET');
  await page.click(`${form} button[type=submit]`);
  const status = (await posted).status();
  await landed;
  await page.waitForLoadState('load');
  return status;
}

async function sessionCookie(context) {
  return (await context.cookies(base)).find((c) => c.name === cookieName);
}

async function sessionStatus(page) {
  const response = await page.goto(`${base}/api/session`);
  return response.status();
}

let context;
let attacker;
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sessioncore-chromium-'));
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1000, height: 900 },
  });
} catch (error) {
  console.error(`could not launch Chromium: ${error?.message ?? error}`);
  process.exit(2);
}

try {
  attacker = await startAttackerSite();
  const attackerOrigin = `http://localhost:${attacker.address().port}`;
  const page = context.pages()[0] ?? await context.newPage();

  await scenario('sign-in', async () => {
    await page.goto(`${base}/`);
    await page.fill('#login input[name=username]', 'alice');
    await page.fill('#login input[name=password]', 'alice-password');
    const status = await submit(page, '#login', '/login');
    const greeting = await page.textContent('#greeting').catch(() => null);
    return [status === 303 && greeting === 'Signed in as alice', `POST /login: ${status}; greeting: ${greeting}`];
  });

  await scenario('screenshot', async () => {
    const file = path.join(outDir, 'demohost-signed-in.png');
    await page.goto(`${base}/`);
    await page.screenshot({ path: file, fullPage: true });
    const size = fs.statSync(file).size;
    return [size > 1000, file];
  });

  await scenario('session-cookie-http-only', async () => {
    const cookie = await sessionCookie(context);
    if (!cookie) {
      return [false, 'no __Host-session cookie in the browser'];
    }

    await page.goto(`${base}/`);
    const visible = await page.evaluate(() => document.cookie);
    const flags = `httpOnly=${cookie.httpOnly} secure=${cookie.secure} sameSite=${cookie.sameSite} path=${cookie.path} domain=${cookie.domain}`;
    const pass = cookie.httpOnly && cookie.secure && cookie.sameSite === 'Strict' && cookie.path === '/' && !cookie.domain.startsWith('.')
      && !visible.includes(cookieName) && !visible.includes(cookie.value);
    return [pass, `${flags}; document.cookie sees ${visible.includes(cookieName) ? 'the session' : 'no session'}`];
  });

  for (const target of ['/logout', '/password']) {
    await scenario(`cross-site-post-refused${target.replace('/', '-')}`, async () => {
      const before = (await sessionCookie(context))?.value;
      const refused = page.waitForResponse((r) => r.url() === `${base}${target}`);
      await page.goto(`${attackerOrigin}/?target=${encodeURIComponent(target)}`);
      const status = (await refused).status();
      const alive = await sessionStatus(page);
      const after = (await sessionCookie(context))?.value;
      return [status === 403 && alive === 200 && before === after, `cross-site POST ${target}: ${status}; session afterwards: ${alive}`];
    });
  }

  await scenario('cross-site-login-refused', async () => {
    const before = (await sessionCookie(context))?.value;
    const refused = page.waitForResponse((r) => r.url() === `${base}/login`);
    await page.goto(`${attackerOrigin}/?target=${encodeURIComponent('/login')}`);
    const status = (await refused).status();
    const after = (await sessionCookie(context))?.value;
    return [status === 403 && before === after, `cross-site POST /login: ${status}; cookie ${before === after ? 'unchanged' : 'changed'}`];
  });

  await scenario('step-up-rotates-cookie', async () => {
    const old = (await sessionCookie(context))?.value;
    await page.goto(`${base}/`);
    await page.fill('#elevate input[name=password]', 'alice-password');
    await submit(page, '#elevate', '/elevate');
    const renewed = (await sessionCookie(context))?.value;
    const level = await page.textContent('#level').catch(() => null);
    const oldStatus = await getWithCookie(`${base}/api/session`, old);
    const newStatus = await getWithCookie(`${base}/api/session`, renewed);
    const pass = !!old && !!renewed && old !== renewed && oldStatus === 401 && newStatus === 200 && /stepped up/.test(level ?? '');
    return [pass, `cookie ${old !== renewed ? 'changed' : 'unchanged'}; old cookie → ${oldStatus}; new cookie → ${newStatus}; level: ${level}`];
  });

  await scenario('sign-out', async () => {
    const old = (await sessionCookie(context))?.value;
    await page.goto(`${base}/`);
    await submit(page, '#logout', '/logout');
    const signInShown = await page.isVisible('#login');
    const remaining = await sessionCookie(context);
    const oldStatus = old ? await getWithCookie(`${base}/api/session`, old) : 0;
    const pass = signInShown && !remaining && oldStatus === 401;
    return [pass, `sign-in form ${signInShown ? 'shown' : 'missing'}; cookie ${remaining ? 'kept' : 'deleted'}; old cookie → ${oldStatus}`];
  });
} finally {
  await context.close().catch(() => {});
  attacker?.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
