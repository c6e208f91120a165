// Makes DPoP proofs with two independent clients for the .NET validator to check:
//   - the npm package `dpop` (generateKeyPair, generateProof, calculateThumbprint), one proof per case;
//   - oauth4webapi's DPoP handle, driven through a refresh-token grant and a protected-resource request whose
//     first answer is the server's use_dpop_nonce challenge (given on stdin), so the retry carries the nonce.
// Requests never leave the process: a custom fetch records the headers and answers as the server would.
//
// stdin:  {"dpop": [{"name": "...", "alg": "ES256" | "Ed25519", "htm": "POST", "htu": "...",
//                     "nonce": "..."?, "accessToken": "..."?}],
//          "oauth": {"issuer": "...", "tokenEndpoint": "...", "resource": "...", "refreshToken": "...",
//                    "accessToken": "...", "challenge": "<WWW-Authenticate value>", "nonce": "<DPoP-Nonce value>"}}
// stdout: {"now": <unix seconds>, "dpop": [{"name", "proof", "thumbprint"}],
//          "oauth": {"thumbprint", "refreshProof", "firstResourceProof", "nonceErrorRecognised", "retryResourceProof",
//                    "retryAuthorization"}}
import { generateKeyPair, generateProof, calculateThumbprint } from 'dpop';
import * as oauth from 'oauth4webapi';

const input = JSON.parse(await readStdin());
const now = Math.floor(Date.now() / 1000);

const dpop = [];
for (const c of input.dpop) {
  const keyPair = await generateKeyPair(c.alg, { extractable: true });
  const proof = await generateProof(keyPair, c.htu, c.htm, c.nonce ?? undefined, c.accessToken ?? undefined);
  dpop.push({ name: c.name, proof, thumbprint: await calculateThumbprint(keyPair.publicKey) });
}

const o = input.oauth;
const as = { issuer: o.issuer, token_endpoint: o.tokenEndpoint };
const client = { client_id: 'interop-client' };
const keyPair = await oauth.generateKeyPair('ES256', { extractable: true });
const handle = oauth.DPoP(client, keyPair);
const captured = [];
let answer;
const fetchImpl = async (url, options) => {
  captured.push({ url, method: options.method, dpop: options.headers.dpop, authorization: options.headers.authorization });
  return answer();
};

answer = () => new Response(JSON.stringify({ access_token: o.accessToken, token_type: 'DPoP', expires_in: 60 }), {
  status: 200,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
});
await oauth.refreshTokenGrantRequest(as, client, oauth.None(), o.refreshToken, { DPoP: handle, [oauth.customFetch]: fetchImpl });

answer = () => new Response(null, { status: 401, headers: { 'www-authenticate': o.challenge, 'dpop-nonce': o.nonce } });
let nonceErrorRecognised = false;
try {
  await oauth.protectedResourceRequest(o.accessToken, 'GET', new URL(o.resource), undefined, undefined, { DPoP: handle, [oauth.customFetch]: fetchImpl });
} catch (e) {
  nonceErrorRecognised = oauth.isDPoPNonceError(e);
}

answer = () => new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
await oauth.protectedResourceRequest(o.accessToken, 'GET', new URL(o.resource), undefined, undefined, { DPoP: handle, [oauth.customFetch]: fetchImpl });

process.stdout.write(JSON.stringify({
  now,
  dpop,
  oauth: {
    thumbprint: await handle.calculateThumbprint(),
    refreshProof: captured[0].dpop,
    firstResourceProof: captured[1].dpop,
    nonceErrorRecognised,
    retryResourceProof: captured[2].dpop,
    retryAuthorization: captured[2].authorization,
  },
}));

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
