import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseIp } from './ipAddress.js';

/** Maps an IP address to an ISO 3166 country code, in memory; no network look-up (P7). */
export interface CountryLookup {
  country(address: string): string | null;
}

interface RangeTable {
  readonly starts: bigint[];
  readonly ends: bigint[];
  readonly countries: string[];
}

async function loadRanges(file: string): Promise<RangeTable> {
  const table: RangeTable = { starts: [], ends: [], countries: [] };
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    const [start, end, country] = line.split(',');
    if (!start || !end || !country) continue;
    table.starts.push(BigInt(start));
    table.ends.push(BigInt(end));
    table.countries.push(country);
  }
  return table;
}

function find(table: RangeTable, value: bigint): string | null {
  // The dataset's ranges are sorted and disjoint: binary search for the last start <= value.
  let lo = 0;
  let hi = table.starts.length - 1;
  let hit = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((table.starts[mid] as bigint) <= value) {
      hit = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (hit < 0 || value > (table.ends[hit] as bigint)) return null;
  return table.countries[hit] ?? null;
}

/** The directory of the CC0 dataset that ships with `@ip-location-db/geo-whois-asn-country`. */
export function defaultDatasetDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@ip-location-db/geo-whois-asn-country/package.json'));
}

export async function loadCountryLookup(datasetDir = defaultDatasetDir()): Promise<CountryLookup> {
  const [v4, v6] = await Promise.all([
    loadRanges(join(datasetDir, 'geo-whois-asn-country-ipv4-num.csv')),
    loadRanges(join(datasetDir, 'geo-whois-asn-country-ipv6-num.csv')),
  ]);
  return {
    country(address) {
      const ip = parseIp(address);
      if (!ip) return null;
      return find(ip.family === 'ipv4' ? v4 : v6, ip.value);
    },
  };
}
