import { createHash, randomBytes } from 'node:crypto';

/**
 * Opaque bearer tokens: 32 random bytes (256 bits), base64url, with a prefix that says what the
 * token is (so a refresh token sent as an access token, or a token pasted into a chat, is easy to
 * recognise). Only their SHA-256 is stored: a database leak does not hand out sessions, and a
 * fast hash is enough because the tokens are random, not guessable.
 */
export const ACCESS_TOKEN_PREFIX = 'wat_';
export const REFRESH_TOKEN_PREFIX = 'wrt_';
const TOKEN_BYTES = 32;
const BASE64URL_43 = '[A-Za-z0-9_-]{43}';

export type TokenKind = 'access' | 'refresh';

const prefixOf = (kind: TokenKind): string =>
  kind === 'access' ? ACCESS_TOKEN_PREFIX : REFRESH_TOKEN_PREFIX;

export function generateToken(kind: TokenKind): string {
  return prefixOf(kind) + randomBytes(TOKEN_BYTES).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const TOKEN_SHAPE: Readonly<Record<TokenKind, RegExp>> = {
  access: new RegExp(`^${ACCESS_TOKEN_PREFIX}${BASE64URL_43}$`),
  refresh: new RegExp(`^${REFRESH_TOKEN_PREFIX}${BASE64URL_43}$`),
};

/** A string that cannot be a token of this kind is refused without a database look-up. */
export const isWellFormedToken = (token: string, kind: TokenKind): boolean =>
  TOKEN_SHAPE[kind].test(token);

/**
 * The access token from `Authorization: Bearer <token>`, the only place a token is accepted
 * (never in URLs, which end up in proxy logs and browser history).
 */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer (\S+)$/i.exec(header.trim());
  const token = match?.[1];
  return token !== undefined && isWellFormedToken(token, 'access') ? token : undefined;
}
