// What the browser scenario scripts (browser-demohost.mjs, browser-aspnetcore.mjs) share: the command line, the
// JSON line per scenario, Chromium contexts with fresh profiles, requests made outside the browser, and an
// "attacker" site whose pages auto-submit a form to the host under test.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const executablePath = process.env.SESSIONCORE_CHROMIUM || '/usr/bin/chromium';
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Reads `<base-url> <output-folder>` from the command line (exit 2 when missing). */
export function commandLine(script) {
  const [baseArg, outArg] = process.argv.slice(2);
  if (!baseArg || !outArg) {
    console.error(`usage: node ${script} <base-url> <output-folder>`);
    process.exit(2);
  }

  const outDir = path.resolve(outArg);
  fs.mkdirSync(outDir, { recursive: true });
  return { base: new URL(baseArg).origin, outDir };
}

export function report(scenario, pass, detail) {
  console.log(JSON.stringify({ scenario, pass: !!pass, detail: String(detail ?? '') }));
}

/** Runs one scenario; `body` returns [pass, detail]. A throw is a failed scenario, never a failed run. */
export async function scenario(name, body) {
  try {
    const [pass, detail] = await body();
    report(name, pass, detail);
    return pass;
  } catch (error) {
    report(name, false, `${error?.name ?? 'Error'}: ${error?.message ?? error}`.slice(0, 500));
    return false;
  }
}

/**
 * Runs `body({ context, newContext, attacker })` with a first Chromium context and an attacker site, and cleans up.
 * Each context is a separate browser profile (its own --user-data-dir): separate cookies, like a second device.
 * Exit code 2 when Chromium does not start.
 */
export async function runInChromium(body) {
  const contexts = [];
  const folders = [];
  async function newContext() {
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sessioncore-chromium-'));
    folders.push(userDataDir);
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: chromiumArgs,
      viewport: { width: 1000, height: 900 },
    });
    contexts.push(context);
    return context;
  }

  let context;
  try {
    context = await newContext();
  } catch (error) {
    console.error(`could not launch Chromium: ${error?.message ?? error}`);
    folders.forEach((f) => fs.rmSync(f, { recursive: true, force: true }));
    process.exit(2);
  }

  const attacker = await startAttackerSite();
  try {
    await body({ context, newContext, attacker });
  } finally {
    for (const c of contexts) {
      await c.close().catch(() => {});
    }
    attacker.close();
    folders.forEach((f) => fs.rmSync(f, { recursive: true, force: true }));
  }
}

/** A request outside the browser with one cookie sent by hand: proves what an old cookie value is still worth. */
export function statusWithCookie(url, cookieName, cookie, method = 'GET') {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers: { Cookie: `${cookieName}=${cookie}` } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
    });
    request.on('error', reject);
    request.end();
  });
}

export async function cookieNamed(context, base, name) {
  return (await context.cookies(base)).find((c) => c.name === name);
}

/** The cookie's attributes as the browser stored them, and whether page script can read it. */
export async function cookieFlags(context, page, base, name) {
  const cookie = await cookieNamed(context, base, name);
  if (!cookie) {
    return [false, `no ${name} cookie in the browser`];
  }

  await page.goto(`${base}/`);
  const visible = await page.evaluate(() => document.cookie);
  const flags = `httpOnly=${cookie.httpOnly} secure=${cookie.secure} sameSite=${cookie.sameSite} path=${cookie.path} domain=${cookie.domain}`;
  const pass = cookie.httpOnly && cookie.secure && cookie.sameSite === 'Strict' && cookie.path === '/' && !cookie.domain.startsWith('.')
    && !visible.includes(name) && !visible.includes(cookie.value);
  return [pass, `${flags}; document.cookie sees ${visible.includes(name) ? 'the session' : 'no session'}`];
}

/**
 * The attacker's site: `GET /?action=URL&enctype=TYPE&fields=JSON` answers a page that submits a POST form with
 * those fields to URL at once; any other URL an empty page, for script run there. It listens on every loopback name, so http://localhost:PORT is another site than
 * the host under test on 127.0.0.1 (SameSite cookies stay home), and http://127.0.0.1:PORT is the same site but
 * another origin (SameSite cookies go along; only the server's origin check can refuse).
 */
function startAttackerSite() {
  const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const server = http.createServer((request, response) => {
    const query = new URL(request.url, 'http://localhost').searchParams;
    if (!query.has('action')) {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end('<!DOCTYPE html><html><body>another site</body></html>');
      return;
    }

    const fields = JSON.parse(query.get('fields') ?? '[]')
      .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`).join('');
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(`<!DOCTYPE html><html><body><form id="f" method="post" action="${escape(query.get('action'))}"` +
      ` enctype="${escape(query.get('enctype') ?? 'application/x-www-form-urlencoded')}">${fields}</form>` +
      '<script>document.getElementById("f").submit();</script></body></html>');
  });
  return new Promise((resolve) => server.listen(0, () => {
    const port = server.address().port;
    resolve({
      crossSite: `http://localhost:${port}`,
      sameSite: `http://127.0.0.1:${port}`,
      close: () => server.close(),
      /** An empty page on `origin`. */
      blankPage: (origin) => `${origin}/blank`,
      /** The URL of a page on `origin` that posts the form to `action`. */
      formPage: (origin, action, fields = [], enctype = undefined) => `${origin}/?` + new URLSearchParams({
        action, fields: JSON.stringify(fields), ...(enctype ? { enctype } : {}),
      }),
    });
  }));
}

/**
 * Navigates `page` to the attacker's form page and returns the host's answer to the form's POST: its status and
 * the request headers Chromium sent (whether the cookie went along).
 */
export async function postFromAttacker(page, url, formPageUrl) {
  const answered = page.waitForResponse((r) => r.url() === url && r.request().method() === 'POST');
  await page.goto(formPageUrl);
  const response = await answered;
  return { status: response.status(), headers: await response.request().allHeaders() };
}
