import { z } from 'zod';

/**
 * Building blocks shared by route schemas. Text that people type (names, login ids) may be any
 * Unicode, Japanese included, but no control characters: they break logs, CSV exports and
 * terminal output, and nobody types them on purpose.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]+$/;

export const displayText = (max: number) => z.string().min(1).max(max).regex(NO_CONTROL_CHARACTERS);

/** Login ids may be a name or an e-mail address; compared after NFKC and lower-casing. */
export const LoginId = displayText(254);
export const DisplayName = displayText(200);
export const Email = z.email().max(254);
/**
 * Long enough that the password policy, not the schema, answers for 129+ characters with
 * `password_too_long`; short enough that argon2 never hashes megabytes.
 */
export const PasswordInput = z.string().min(1).max(1024);
export const Instant = z.iso.datetime({ offset: true });
export const IdParams = z.strictObject({ id: z.uuid() });
