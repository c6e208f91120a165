// Shared by the DPoP client scripts: reading the JSON input from stdin, and recording each named step's outcome
// (a value on success; on failure oauth4webapi's error code, OAuth error, HTTP status and challenge) so that the
// .NET tests can assert every step by name.
import * as oauth from 'oauth4webapi';

export async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export function stepRecorder() {
  const steps = {};
  async function step(name, action) {
    try {
      const result = await action();
      steps[name] = { ok: true, ...result };
      return result;
    } catch (e) {
      const response = e.response ?? e.cause?.response;
      steps[name] = {
        ok: false,
        code: e.code ?? e.name,
        error: e.error ?? (Array.isArray(e.cause) ? e.cause[0]?.parameters?.error : undefined) ?? String(e.message),
        status: e.status ?? response?.status,
        nonceError: oauth.isDPoPNonceError(e),
        challenge: response?.headers?.get('www-authenticate') ?? undefined,
      };
      return undefined;
    }
  }
  return { steps, step };
}
