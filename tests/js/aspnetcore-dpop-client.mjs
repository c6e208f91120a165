// Drives the running ASP.NET Core sample (samples/AspNetCore) as a DPoP client (RFC 9449) with two independent
// implementations, over loopback http (allowInsecureRequests, tests only); nothing is mocked:
//   - the npm package `dpop`: hand-made proofs for the sample's cookie-authenticated POST /token, whose first answer is
//     400 use_dpop_nonce (the retry carries the nonce), and one proof sent twice to the API, to see the replay refused;
//   - oauth4webapi's DPoP handle with the same key: discovery (RFC 8414), protected-resource requests whose first
//     answer is the 401 use_dpop_nonce challenge, a bearer downgrade, refresh grants without and with a proof.
//
// stdin:  {"origin": "http://127.0.0.1:<port>", "cookie": "__Host-session=...", "csrf": "..."}
// stdout: {"metadata": {...}, "thumbprint": "...", "steps": {"<name>": {"ok": true, ...} | {"ok": false, "code", "error", "status", "challenge"}}}
import * as oauth from 'oauth4webapi';
import { generateProof } from 'dpop';
import { readStdin, stepRecorder } from './client-steps.mjs';

const input = JSON.parse(await readStdin());
const insecure = { [oauth.allowInsecureRequests]: true };
const issuer = new URL(input.origin);
const resourceUrl = new URL('/api/profile', issuer);
const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
const client = { client_id: 'aspnetcore-sample' };
const keyPair = await oauth.generateKeyPair('ES256');
const DPoP = oauth.DPoP(client, keyPair);
const { steps, step } = stepRecorder();
let nonce;

// POST /token rides on the session cookie: CSRF token and a same-origin request, plus a `dpop` proof for its URL.
async function issue(name) {
  const proof = await generateProof(keyPair, new URL('/token', issuer).href, 'POST', nonce);
  const response = await fetch(new URL('/token', issuer), {
    method: 'POST',
    headers: { cookie: input.cookie, 'x-csrf-token': input.csrf, origin: input.origin, 'sec-fetch-site': 'same-origin', dpop: proof },
  });
  nonce = response.headers.get('dpop-nonce') ?? nonce;
  steps[name] = { status: response.status, nonce: response.headers.has('dpop-nonce'), body: await response.json() };
  return steps[name].body;
}

function tokenRequest(name, parameters, dpop) {
  return step(name, async () => {
    const response = await oauth.genericTokenEndpointRequest(as, client, oauth.None(), 'refresh_token', parameters, { ...(dpop ? { DPoP } : {}), ...insecure });
    const tokens = await oauth.processGenericTokenEndpointResponse(as, client, response);
    return { tokens };
  });
}

function resource(name, accessToken, dpop) {
  return step(name, async () => {
    const response = await oauth.protectedResourceRequest(accessToken, 'GET', resourceUrl, undefined, undefined, { ...(dpop ? { DPoP } : {}), ...insecure });
    nonce = response.headers.get('dpop-nonce') ?? nonce;
    return { status: response.status, body: await response.json() };
  });
}

await issue('issue-first');
const issued = await issue('issue');
if (issued?.access_token) {
  const access = issued.access_token;

  // The handle has no nonce for the API yet: the first request is challenged, the retry carries the nonce.
  await resource('resource-first', access, true);
  await resource('resource', access, true);
  await resource('resource-as-bearer', access, false);

  // A hand-made proof by the same key, with the current nonce and the token's hash, presented twice.
  const proof = await generateProof(keyPair, resourceUrl.href, 'GET', nonce, access);
  for (const name of ['replay-first', 'replay-second']) {
    const response = await fetch(resourceUrl, { headers: { authorization: `DPoP ${access}`, dpop: proof } });
    nonce = response.headers.get('dpop-nonce') ?? nonce;
    steps[name] = { status: response.status, challenge: response.headers.get('www-authenticate') ?? undefined };
  }

  // A thief with the refresh token but not the key: refused, and the family stays usable for its owner.
  const refresh = { refresh_token: issued.refresh_token };
  await tokenRequest('refresh-without-proof', refresh, false);
  await tokenRequest('refresh-first', refresh, true);
  const refreshed = steps['refresh-first'].ok ? steps['refresh-first'] : await tokenRequest('refresh', refresh, true);
  if (refreshed) {
    steps.refresh ??= refreshed;
    await resource('resource-refreshed', refreshed.tokens.access_token, true);
  }
}

process.stdout.write(JSON.stringify({ metadata: as, thumbprint: await DPoP.calculateThumbprint(), steps }));
