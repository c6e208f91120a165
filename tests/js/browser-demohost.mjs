// Browser scenarios against a running DemoHost, in Debian's Chromium driven by playwright-core.
//   node tests/js/browser-demohost.mjs <base-url> <output-folder>
// Prints one JSON line per scenario: {"scenario": name, "pass": bool, "detail": text}. Exit code 0 when
// the run itself worked (scenario failures are reported, not thrown); 2 when it could not start.
import fs from 'node:fs';
import path from 'node:path';
import { commandLine, cookieFlags, cookieNamed, postFromAttacker, runInChromium, scenario, statusWithCookie } from './browser-common.mjs';

const { base, outDir } = commandLine('browser-demohost.mjs');
const cookieName = '__Host-session';
const getWithCookie = (url, cookie) => statusWithCookie(url, cookieName, cookie);

// The fields each cross-site form sends: what an attacker would want each endpoint to do.
const attackFields = {
  '/password': [['current', 'alice-password'], ['new', 'attacker-chosen-passphrase']],
  '/login': [['username', 'bob'], ['password', 'bob-password']],
  '/logout': [['csrf', 'guessed']],
};

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

const sessionCookie = (context) => cookieNamed(context, base, cookieName);

async function sessionStatus(page) {
  const response = await page.goto(`${base}/api/session`);
  return response.status();
}

await runInChromium(async ({ context, attacker }) => {
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

  await scenario('session-cookie-http-only', () => cookieFlags(context, page, base, cookieName));

  for (const target of ['/logout', '/password']) {
    await scenario(`cross-site-post-refused${target.replace('/', '-')}`, async () => {
      const before = (await sessionCookie(context))?.value;
      const { status } = await postFromAttacker(page, `${base}${target}`, attacker.formPage(attacker.crossSite, `${base}${target}`, attackFields[target]));
      const alive = await sessionStatus(page);
      const after = (await sessionCookie(context))?.value;
      return [status === 403 && alive === 200 && before === after, `cross-site POST ${target}: ${status}; session afterwards: ${alive}`];
    });
  }

  await scenario('cross-site-login-refused', async () => {
    const before = (await sessionCookie(context))?.value;
    const { status } = await postFromAttacker(page, `${base}/login`, attacker.formPage(attacker.crossSite, `${base}/login`, attackFields['/login']));
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
});
