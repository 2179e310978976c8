import { describe, expect, it } from 'vitest';
import { SecretRedaction } from '../../src/http/secret-redaction.js';

const TOKEN = `aksip_0123456789ab_${'S'.repeat(43)}`;

describe('SecretRedaction', () => {
  const secrets = new SecretRedaction(['an-admin-token-of-some-length', 'short', undefined]);

  it("keeps an API token's id and hides its secret, wherever it is", () => {
    expect(secrets.url(`/v1/tokens/${TOKEN}`)).toBe('/v1/tokens/aksip_0123456789ab_[redacted]');
    expect(secrets.text(`no token "aksip_bad-shape"`)).toBe('no token "aksip_[redacted]"');
  });

  it('hides the values of parameters named as credentials, by their decoded names, and no others', () => {
    expect(
      secrets.url('/v1/lookup?ip=10.0.0.1&access_token=abc&acc%65ss%5Ftoken=def&Password=x&limit=3'),
    ).toBe(
      '/v1/lookup?ip=10.0.0.1&access_token=[redacted]&acc%65ss%5Ftoken=[redacted]&Password=[redacted]&limit=3',
    );
    expect(secrets.url('/v1/plans?label=team%3Dweb&%zz=1&flag')).toBe(
      '/v1/plans?label=team%3Dweb&%zz=1&flag',
    );
  });

  it("hides a JSON Web Token and the service's own secrets, but not a short one that would hide words", () => {
    expect(secrets.text('no plan "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"')).toBe('no plan "[redacted]"');
    expect(secrets.url('/v1/plans/an-admin-token-of-some-length?x=1')).toBe('/v1/plans/[redacted]?x=1');
    expect(secrets.text('a short answer')).toBe('a short answer');
  });

  it('hides a known secret percent-encoded, in either case of hex, and cut short by a quote', () => {
    const plus = new SecretRedaction(['ab+cd/ef=gh+ij/kl=mn+op']);
    expect(plus.url('/v1/plans/ab%2Bcd%2Fef%3Dgh%2Bij%2Fkl%3Dmn%2Bop')).toBe('/v1/plans/[redacted]');
    expect(plus.url('/v1/plans/ab%2bcd%2fef%3dgh%2bij%2fkl%3dmn%2bop?x=1')).toBe('/v1/plans/[redacted]?x=1');
    expect(secrets.text('"an-admin-token-of-so" is not a cursor')).toBe('"[redacted]" is not a cursor');
    expect(secrets.text('no plan "eyJhbGciOiJSUzI1NiJ9.eyJzdW"')).toBe('no plan "[redacted]"');
  });
});
