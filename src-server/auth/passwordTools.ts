import {
  createPasswordHasher,
  createPasswordPolicy,
  DEFAULT_HASH_PARAMS,
  loadCommonPasswords,
  type HashParams,
  type PasswordHasher,
  type PasswordPolicy,
} from './passwords.js';

/** The hasher and the policy with the shipped common-password list. Tests pass cheaper params. */
export async function createPasswordTools(
  params: HashParams = DEFAULT_HASH_PARAMS,
): Promise<{ hasher: PasswordHasher; passwordPolicy: PasswordPolicy }> {
  return {
    hasher: createPasswordHasher(params),
    passwordPolicy: createPasswordPolicy(await loadCommonPasswords()),
  };
}
