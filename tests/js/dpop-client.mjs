// Drives a running DemoHost as a DPoP client (RFC 9449) with two independent implementations:
//   - oauth4webapi's DPoP handle: discovery, a password grant whose first answer is the server's use_dpop_nonce
//     error (the retry carries the nonce), protected-resource requests, refresh grants with and without a proof;
//   - the npm package `dpop`: a hand-made proof with the same key sent twice to the API, to see the replay refused.
// Nothing is mocked: every request goes to the DemoHost over loopback http (allowInsecureRequests, tests only).
//
// stdin:  {"issuer": "http://127.0.0.1:<port>", "resource": "http://127.0.0.1:<port>/api/me", "clientId": "...",
//          "username": "...", "password": "...", "scope": "profile"}
// stdout: {"metadata": {...}, "thumbprint": "...", "steps": {"<name>": {"ok": true, ...} | {"ok": false, "code", "error", "status", "challenge"}}}
import * as oauth from 'oauth4webapi';
import { generateProof } from 'dpop';
import { readStdin, stepRecorder } from './client-steps.mjs';

const input = JSON.parse(await readStdin());
const insecure = { [oauth.allowInsecureRequests]: true };
const issuer = new URL(input.issuer);
const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
const client = { client_id: input.clientId };
const clientAuth = oauth.None();
const keyPair = await oauth.generateKeyPair('ES256');
const DPoP = oauth.DPoP(client, keyPair);
const { steps, step } = stepRecorder();
let lastNonce;

function tokenRequest(name, grantType, parameters, dpop) {
  return step(name, async () => {
    const response = await oauth.genericTokenEndpointRequest(as, client, clientAuth, grantType, parameters, { ...(dpop ? { DPoP } : {}), ...insecure });
    lastNonce = response.headers.get('dpop-nonce') ?? lastNonce;
    const tokens = await oauth.processGenericTokenEndpointResponse(as, client, response);
    return { tokens };
  });
}

function resource(name, accessToken, dpop) {
  return step(name, async () => {
    const response = await oauth.protectedResourceRequest(accessToken, 'GET', new URL(input.resource), undefined, undefined, { ...(dpop ? { DPoP } : {}), ...insecure });
    lastNonce = response.headers.get('dpop-nonce') ?? lastNonce;
    return { status: response.status, claims: await response.json() };
  });
}

// The first token request has no nonce yet: the server answers use_dpop_nonce, and the handle keeps the nonce.
const password = { username: input.username, password: input.password, scope: input.scope };
await tokenRequest('password-grant-first', 'password', password, true);
const granted = await tokenRequest('password-grant', 'password', password, true);
if (granted) {
  const access = granted.tokens.access_token;
  await resource('resource', access, true);
  await resource('resource-as-bearer', access, false);

  // A hand-made proof by the same key, with the current nonce and the token's hash, presented twice.
  const proof = await generateProof(keyPair, input.resource, 'GET', lastNonce, access);
  for (const name of ['replay-first', 'replay-second']) {
    const response = await fetch(input.resource, { headers: { authorization: `DPoP ${access}`, dpop: proof } });
    lastNonce = response.headers.get('dpop-nonce') ?? lastNonce;
    steps[name] = { status: response.status, challenge: response.headers.get('www-authenticate') ?? undefined };
  }

  // A thief with the refresh token but not the key: refused, and the family stays usable for its owner.
  const refresh = { refresh_token: granted.tokens.refresh_token };
  await tokenRequest('refresh-without-proof', 'refresh_token', refresh, false);
  const refreshed = await tokenRequest('refresh', 'refresh_token', refresh, true);
  if (refreshed) {
    await resource('resource-refreshed', refreshed.tokens.access_token, true);
  }
}

process.stdout.write(JSON.stringify({ metadata: as, thumbprint: await DPoP.calculateThumbprint(), steps }));
