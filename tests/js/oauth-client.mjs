// Drives the DemoHost the way a standard OAuth 2.0 client and an RFC 9068 resource server do, with oauth4webapi,
// knowing nothing but the issuer: discovery (RFC 8414), a password grant (through oauth4webapi's generic token
// endpoint request), validateJwtAccessToken on the access token before and after a refresh, the refresh grant,
// revocation (RFC 7009), and a refresh after revocation, which must fail.
//
// stdin:  {"issuer": "http://127.0.0.1:<port>", "audience": "...", "resource": "http://127.0.0.1:<port>/api/me",
//          "clientId": "...", "username": "...", "password": "...", "scope": "profile"}
// stdout: {"metadata": {...}, "steps": {"<name>": {"ok": true, ...} | {"ok": false, "code": "...", "error": "...", "status": 400}}}
import * as oauth from 'oauth4webapi';

const input = JSON.parse(await readStdin());

// The DemoHost serves plain http on loopback in the tests; oauth4webapi refuses http: URLs unless told otherwise.
// Production authorization servers are https, and this option must stay out of real clients.
const insecure = { [oauth.allowInsecureRequests]: true };

const issuer = new URL(input.issuer);
const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
const client = { client_id: input.clientId };
const clientAuth = oauth.None();
const steps = {};

async function step(name, action) {
  try {
    const result = await action();
    steps[name] = { ok: true, ...result };
    return result;
  } catch (e) {
    steps[name] = { ok: false, code: e.code ?? e.name, error: e.error ?? String(e.message), status: e.status };
    return undefined;
  }
}

function validate(name, accessToken) {
  return step(name, async () => {
    const request = new Request(input.resource, { headers: { authorization: `Bearer ${accessToken}` } });
    const claims = await oauth.validateJwtAccessToken(as, request, input.audience, insecure);
    return { claims };
  });
}

function refresh(name, refreshToken) {
  return step(name, async () => {
    const response = await oauth.refreshTokenGrantRequest(as, client, clientAuth, refreshToken, insecure);
    const tokens = await oauth.processRefreshTokenResponse(as, client, response);
    return { tokens };
  });
}

function revoke(name, token) {
  return step(name, async () => {
    const response = await oauth.revocationRequest(as, client, clientAuth, token, insecure);
    await oauth.processRevocationResponse(response);
    return { status: response.status };
  });
}

const granted = await step('password-grant', async () => {
  const parameters = { username: input.username, password: input.password, scope: input.scope };
  const response = await oauth.genericTokenEndpointRequest(as, client, clientAuth, 'password', parameters, insecure);
  const tokens = await oauth.processGenericTokenEndpointResponse(as, client, response);
  return { tokens };
});

if (granted) {
  await validate('validate-first', granted.tokens.access_token);
  const refreshed = await refresh('refresh', granted.tokens.refresh_token);
  if (refreshed) {
    await validate('validate-refreshed', refreshed.tokens.access_token);
    await revoke('revoke', refreshed.tokens.refresh_token);
    await refresh('refresh-revoked', refreshed.tokens.refresh_token);
  }
}

await revoke('revoke-unknown', 'scr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
process.stdout.write(JSON.stringify({ metadata: as, steps }));

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
