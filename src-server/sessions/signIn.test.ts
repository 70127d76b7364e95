import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PasswordHasher } from '../auth/passwords.js';
import {
  as,
  bootstrapOperator,
  createMember,
  errorCodeOf,
  fixedClock,
  signIn,
  tenantWithAdmin,
  type TenantWithAdmin,
} from '../testing/accountFixtures.js';
import { DIALECTS } from '../testing/testDatabase.js';
import { startTestServer, type TestServer } from '../testing/testServer.js';

/** An argon2id hash made with the suites' parameters (TEST_HASH_PARAMS), as stored. */
const TEST_ARGON2_PREFIX = /^\$argon2id\$v=19\$m=1024,p=1,t=1\$/;

describe.each(DIALECTS)('sign-in checks on %s', (dialect) => {
  const clock = fixedClock('2026-05-11T09:00:00.000Z');
  /** The stored hash of every password verification the server ran, in order. */
  const verifications: string[] = [];
  const counting = (real: PasswordHasher): PasswordHasher => ({
    ...real,
    verify: (stored, password) => {
      verifications.push(stored);
      return real.verify(stored, password);
    },
  });
  let server: TestServer;
  let studio: TenantWithAdmin;

  beforeAll(async () => {
    server = await startTestServer({ dialect, now: clock.now, hasher: counting });
    const operator = await bootstrapOperator(server, clock.now);
    studio = await tenantWithAdmin(server, operator, 'studio', 'signin-studio');
  });
  afterAll(async () => {
    await server?.close();
  });

  const newUser = async (loginId: string) => {
    const res = await as(server, studio.admin.accessToken)('/v1/users', 'POST', {
      loginId,
      displayName: '仮 太郎',
      role: 'designer',
    });
    expect(res.status, res.text).toBe(201);
    return res.json as { temporaryPassword: string; temporaryPasswordExpiresAt: string };
  };

  it('P6: a temporary password works until 7 days after issue and not from that instant on', async () => {
    clock.set('2026-05-11T09:00:00.000Z');
    // Re-signing in keeps the admin's token fresh whatever the other test did to the clock.
    const admin = await signIn(server, 'signin-studio', 'signin-studio-pass-2026');
    studio = { ...studio, admin: admin.json as TenantWithAdmin['admin'] };
    const late = await newUser('late-starter');
    const prompt = await newUser('prompt-starter');
    expect(late.temporaryPasswordExpiresAt).toBe('2026-05-18T09:00:00.000Z');
    expect(prompt.temporaryPasswordExpiresAt).toBe('2026-05-18T09:00:00.000Z');

    // 7 days − 1 s: both sign in (a session that may only change the password).
    clock.set('2026-05-18T08:59:59.000Z');
    const lateIn = await signIn(server, 'late-starter', late.temporaryPassword);
    expect(lateIn.status, lateIn.text).toBe(200);
    expect(lateIn.json).toMatchObject({ user: { passwordChangeRequired: true } });
    const lateSession = lateIn.json as { accessToken: string };
    const promptIn = await signIn(server, 'prompt-starter', prompt.temporaryPassword);
    expect(promptIn.status, promptIn.text).toBe(200);
    const changed = await as(server, (promptIn.json as { accessToken: string }).accessToken)(
      '/v1/me/password',
      'POST',
      { currentPassword: prompt.temporaryPassword, newPassword: '桜の季節に間に合った' },
    );
    expect(changed.status, changed.text).toBe(200);

    // Exactly 7 days: the code takes the deadline itself as expired (expiresAt <= now).
    clock.set('2026-05-18T09:00:00.000Z');
    const atDeadline = await signIn(server, 'late-starter', late.temporaryPassword);
    expect([atDeadline.status, errorCodeOf(atDeadline)]).toEqual([
      401,
      'temporary_password_expired',
    ]);
    // The session made a second earlier still lives, but cannot use the expired password.
    const lateChange = await as(server, lateSession.accessToken)('/v1/me/password', 'POST', {
      currentPassword: late.temporaryPassword,
      newPassword: '一秒遅れの新しい合言葉',
    });
    expect([lateChange.status, errorCodeOf(lateChange)]).toEqual([
      401,
      'temporary_password_expired',
    ]);

    // 7 days + 1 s: refused, and said only to whoever knows the password.
    clock.set('2026-05-18T09:00:01.000Z');
    const after = await signIn(server, 'late-starter', late.temporaryPassword);
    expect([after.status, errorCodeOf(after)]).toEqual([401, 'temporary_password_expired']);
    const guess = await signIn(server, 'late-starter', 'not-the-password');
    expect([guess.status, errorCodeOf(guess)]).toEqual([401, 'invalid_credentials']);
    // The one who changed in time signs in with the new password.
    expect((await signIn(server, 'prompt-starter', '桜の季節に間に合った')).status).toBe(200);
  });

  it('runs exactly one password verification whether the account is unknown, disabled or known', async () => {
    clock.set('2026-06-01T00:00:00.000Z');
    const admin = await signIn(server, 'signin-studio', 'signin-studio-pass-2026');
    studio = { ...studio, admin: admin.json as TenantWithAdmin['admin'] };
    const known = await createMember(server, studio.admin, {
      loginId: 'known-designer',
      displayName: '既知 花子',
      role: 'designer',
    });
    const disabled = await createMember(server, studio.admin, {
      loginId: 'disabled-designer',
      displayName: '停止 次郎',
      role: 'designer',
    });
    const off = await as(server, studio.admin.accessToken)(`/v1/users/${disabled.id}`, 'PATCH', {
      disabled: true,
    });
    expect(off.status, off.text).toBe(200);

    const attempt = async (loginId: string, password: string) => {
      verifications.length = 0;
      const res = await signIn(server, loginId, password);
      return { status: res.status, code: errorCodeOf(res), stored: [...verifications] };
    };
    const unknown = await attempt('nobody-by-this-id', 'some-password-2026');
    const unknownAgain = await attempt('nobody-else-either', 'some-password-2026');
    const disabledRight = await attempt('disabled-designer', disabled.password);
    const knownWrong = await attempt('known-designer', 'not-the-password');
    const knownRight = await attempt('known-designer', known.password);

    for (const [what, outcome] of [
      ['unknown account', unknown],
      ['another unknown account', unknownAgain],
      ['disabled account, right password', disabledRight],
      ['known account, wrong password', knownWrong],
    ] as const) {
      expect([what, outcome.status, outcome.code], what).toEqual([
        what,
        401,
        'invalid_credentials',
      ]);
      expect(outcome.stored, what).toHaveLength(1);
      // The same kind of hash with the same cost as a real account's: the same work.
      expect(outcome.stored[0], what).toMatch(TEST_ARGON2_PREFIX);
    }
    expect(knownRight.status).toBe(200);
    expect(knownRight.stored).toHaveLength(1);
    expect(knownRight.stored[0]).toMatch(TEST_ARGON2_PREFIX);
    // An unknown account is checked against a hash no account has.
    expect(unknown.stored[0]).not.toBe(knownRight.stored[0]);
  });
});
