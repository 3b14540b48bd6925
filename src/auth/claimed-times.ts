/**
 * `iat` and `exp` of a JWT, read from its payload as is, without checking anything: only for a
 * token the verifier has accepted already. Absent (or not a number) claims are left out.
 */
export function claimedTimes(token: string): { iat?: number; exp?: number } {
  const payload = token.split('.')[1];
  if (payload === undefined) return {};
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const time = (value: unknown) =>
      typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    const iat = time(claims['iat']);
    const exp = time(claims['exp']);
    return { ...(iat === undefined ? {} : { iat }), ...(exp === undefined ? {} : { exp }) };
  } catch {
    return {};
  }
}
