// Signs access tokens with jose (importJWK + SignJWT) and prints one compact JWT per case.
//
// stdin:  {"now": <unix seconds>,
//          "cases": [{"name": "...", "jwk": {private JWK}, "alg": "ES256", "kid": "...", "typ": "at+jwt",
//                     "issuer": "...", "audience": "...", "subject": "...", "jti": "...",
//                     "lifetime": 600, "claims": {...}}]}
// stdout: {"results": [{"name": "...", "token": "..."} | {"name": "...", "error": "..."}]}
import { importJWK, SignJWT } from 'jose';

const input = JSON.parse(await readStdin());
const results = [];
for (const c of input.cases) {
  try {
    const key = await importJWK(c.jwk, c.alg);
    const header = { alg: c.alg, kid: c.kid };
    if (c.typ) header.typ = c.typ;
    const token = await new SignJWT(c.claims ?? {})
      .setProtectedHeader(header)
      .setIssuer(c.issuer)
      .setAudience(c.audience)
      .setSubject(c.subject)
      .setJti(c.jti)
      .setIssuedAt(input.now)
      .setNotBefore(input.now)
      .setExpirationTime(input.now + c.lifetime)
      .sign(key);
    results.push({ name: c.name, token });
  } catch (e) {
    results.push({ name: c.name, error: String(e.message) });
  }
}
process.stdout.write(JSON.stringify({ results }));

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
