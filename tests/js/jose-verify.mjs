// Verifies compact JWTs with jose (jwtVerify + createLocalJWKSet) and prints one JSON result per case.
//
// stdin:  {"jwks": {...}, "issuer": "...", "audience": "...", "now": <unix seconds>,
//          "cases": [{"name": "...", "token": "...", "algorithms": ["ES256"]}]}
// stdout: {"results": [{"name": "...", "ok": true, "header": {...}, "payload": {...}}
//                      | {"name": "...", "ok": false, "code": "ERR_...", "error": "..."}]}
import { createLocalJWKSet, jwtVerify } from 'jose';

const input = JSON.parse(await readStdin());
const keys = createLocalJWKSet(input.jwks);
const results = [];
for (const c of input.cases) {
  try {
    const { payload, protectedHeader } = await jwtVerify(c.token, keys, {
      issuer: input.issuer,
      audience: input.audience,
      typ: 'at+jwt',
      algorithms: c.algorithms,
      currentDate: new Date(input.now * 1000),
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id'],
    });
    results.push({ name: c.name, ok: true, header: protectedHeader, payload });
  } catch (e) {
    results.push({ name: c.name, ok: false, code: e.code ?? e.name, error: String(e.message) });
  }
}
process.stdout.write(JSON.stringify({ results }));

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
