/** Types of electronBinary.mjs for the TypeScript that imports it (Playwright config, e2e). */
export function findElectronBinary(): { path: string } | { path: null; reason: string };
