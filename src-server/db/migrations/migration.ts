export interface Migration {
  /** Strictly increasing; never reused, never edited after release (a checksum guards it). */
  readonly version: number;
  readonly name: string;
  /**
   * Run in order in one transaction. One statement each, because PGlite's parameterised
   * protocol takes one at a time. Keep them backward compatible: during a blue-green switch the
   * previous release runs against the new schema.
   */
  readonly statements: readonly string[];
}
