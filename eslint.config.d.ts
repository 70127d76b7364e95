import type { Linter } from 'eslint';

export function createConfig(options: { typed: boolean }): Linter.Config[];
export const boundaryConfigs: Linter.Config[];
declare const config: Linter.Config[];
export default config;
