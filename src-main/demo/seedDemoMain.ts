import { readFile } from 'node:fs/promises';
import { seedDemo } from './seedDemo.js';

/**
 * `node --import tsx src-main/demo/seedDemoMain.ts` (run by `npm start` on the first run):
 * reads the cloud's address, CA file and the bootstrapped operator from the environment
 * (not argv: other users can read a process's arguments) and prints the demo as JSON.
 */
const env = process.env;
const need = (name: string): string => {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const seeded = await seedDemo({
  serverUrl: need('WEEBUM_DEMO_SERVER_URL'),
  ca: await readFile(need('WEEBUM_DEMO_CA_FILE')),
  operator: {
    loginId: need('WEEBUM_DEMO_OPERATOR_LOGIN_ID'),
    temporaryPassword: need('WEEBUM_DEMO_OPERATOR_PASSWORD'),
  },
});
process.stdout.write(`${JSON.stringify(seeded)}\n`);
