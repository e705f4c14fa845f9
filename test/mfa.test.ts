import t from 'tap';
import { base32Decode, base32Encode, hotp, matchTotp, timeStep } from '../plugins/auth/totp.ts';
import { User } from '../src/entities/index.ts';
import { bearer, register } from './helpers/accounts.ts';
import { buildTestApp } from './helpers/app.ts';
import { expectEnvelope } from './helpers/envelope.ts';

t.test('TOTP matches the RFC 6238 test vectors (SHA-1)', async (t) => {
  const key = Buffer.from('12345678901234567890');
  const vectors: Array<[number, string]> = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ];
  for (const [seconds, code] of vectors) t.equal(hotp(key, timeStep(seconds * 1000), 8), code, `T=${seconds}`);
  t.same(base32Decode(base32Encode(key)), key, 'base32 round trip');
  t.equal(base32Encode(Buffer.from('foobar')), 'MZXW6YTBOI', 'RFC 4648 base32 vector');
});

t.test('a code is accepted once, within one step of drift', async (t) => {
  const secret = base32Encode(Buffer.from('12345678901234567890'));
  const key = base32Decode(secret);
  const now = 1_700_000_000_000;
  const step = timeStep(now);
  t.equal(matchTotp(secret, hotp(key, step), now, null), step);
  t.equal(matchTotp(secret, hotp(key, step - 1), now, null), step - 1, 'a phone 30 s slow is fine');
  t.equal(matchTotp(secret, hotp(key, step - 2), now, null), null, 'a minute old is not');
  t.equal(matchTotp(secret, hotp(key, step), now, step), null, 'a used code cannot be replayed');
  t.equal(matchTotp(secret, 'abcdef', now, null), null);
});

t.test('enrol, sign in with the second factor, recover, turn it off', async (t) => {
  const { app } = await buildTestApp(t, { env: { RATE_LIMIT_AUTH_MAX: '100' } });
  const ana = await register(app);
  const post = (url: string, payload?: object, token = ana.token) =>
    app.inject({ method: 'POST', url, headers: bearer(token), payload });
  const codeAt = (secret: string, offsetSteps = 0) => hotp(base32Decode(secret), timeStep(Date.now()) + offsetSteps);

  expectEnvelope(t, await post('/auth/mfa/enable', { code: '123456' }), 409, 'CONFLICT');
  const setup = await post('/auth/mfa/setup');
  t.equal(setup.statusCode, 200);
  const { secret, otpauthUrl } = setup.json();
  t.match(otpauthUrl, new RegExp(`^otpauth://totp/SpeakAI%3A.*secret=${secret}&issuer=SpeakAI`));
  const stored = await app.orm.em.fork().findOneOrFail(User, ana.id);
  t.notMatch(stored.mfaSecret, secret, 'the key is stored encrypted');

  expectEnvelope(t, await post('/auth/mfa/enable', { code: '000000' }), 401, 'INVALID_MFA_CODE');
  expectEnvelope(t, await post('/auth/mfa/enable', { code: 'x' }), 400, 'VALIDATION_ERROR');
  const enrolCode = codeAt(secret, -1);
  const enabled = await post('/auth/mfa/enable', { code: enrolCode });
  t.equal(enabled.statusCode, 200);
  const { recoveryCodes } = enabled.json();
  t.equal(recoveryCodes.length, 10);

  const login = (extra: object = {}) =>
    app.inject({ method: 'POST', url: '/auth/login', payload: { email: ana.email, password: ana.password, ...extra } });
  const required = expectEnvelope(t, await login(), 401, 'MFA_REQUIRED');
  t.same(required.details, { mfa: 'totp' });
  expectEnvelope(t, await login({ mfaCode: '000000' }), 401, 'INVALID_MFA_CODE');
  expectEnvelope(t, await login({ mfaCode: enrolCode }), 401, 'INVALID_MFA_CODE');
  t.comment('the enrolment code cannot be replayed');
  t.equal((await login({ mfaCode: codeAt(secret) })).statusCode, 200);
  t.equal((await login({ mfaCode: recoveryCodes[0].toUpperCase() })).statusCode, 200, 'a recovery code works');
  expectEnvelope(t, await login({ mfaCode: recoveryCodes[0] }), 401, 'INVALID_MFA_CODE');
  t.comment('…once');

  expectEnvelope(t, await post('/auth/mfa/setup'), 409, 'CONFLICT');
  expectEnvelope(t, await post('/auth/mfa/disable', { code: recoveryCodes[1] }), 401, 'INVALID_CREDENTIALS');
  const off = await post('/auth/mfa/disable', { code: recoveryCodes[1], password: ana.password });
  t.equal(off.statusCode, 204);
  t.equal((await login()).statusCode, 200, 'the password alone is enough again');
});
