import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { CountryLookup } from './countryLookup.js';
import { ipv4ToString, parseIp } from './ipAddress.js';

export interface GeoPolicyOptions {
  /** ISO country codes allowed in (P7: `JP`). */
  readonly allowedCountries: readonly string[];
  /** Extra CIDRs always allowed (e.g. an office VPN abroad). */
  readonly allowCidrs: readonly string[];
  /** Whether an address the dataset does not know is let in; off by default. */
  readonly allowUnknown: boolean;
  /** Whether loopback peers are let in whatever their country (config.ts says when). */
  readonly allowLoopback: boolean;
}

export type GeoDecision =
  | { readonly allowed: true; readonly reason: 'loopback' | 'cidr' | 'country' | 'unknown' }
  | { readonly allowed: false; readonly country: string | null };

function addCidr(list: BlockList, cidr: string): void {
  const [network = '', bits] = cidr.split('/');
  const prefix = Number(bits);
  const type = isIPv4(network) ? 'ipv4' : isIPv6(network) ? 'ipv6' : null;
  const max = type === 'ipv4' ? 32 : 128;
  if (!type || !Number.isInteger(prefix) || prefix < 0 || prefix > max) {
    throw new Error(`not a CIDR range: "${cidr}"`);
  }
  list.addSubnet(network, prefix, type);
}

function contains(list: BlockList, address: string): boolean {
  const ip = parseIp(address);
  if (!ip) return false;
  // Check IPv4-mapped IPv6 peers as the IPv4 address they carry.
  if (ip.family === 'ipv4') return list.check(ipv4ToString(ip.value), 'ipv4');
  return list.check(address.split('%')[0] ?? '', 'ipv6');
}

/** Decides whether a request's source address may use the API (P7, P18). */
export function createGeoPolicy(lookup: CountryLookup, options: GeoPolicyOptions) {
  const loopback = new BlockList();
  addCidr(loopback, '127.0.0.0/8');
  addCidr(loopback, '::1/128');
  const allowed = new BlockList();
  for (const cidr of options.allowCidrs) addCidr(allowed, cidr);
  const countries = new Set(options.allowedCountries.map((c) => c.toUpperCase()));

  return {
    decide(address: string): GeoDecision {
      if (options.allowLoopback && contains(loopback, address)) {
        return { allowed: true, reason: 'loopback' };
      }
      if (contains(allowed, address)) return { allowed: true, reason: 'cidr' };
      const country = lookup.country(address);
      if (country === null) {
        return options.allowUnknown
          ? { allowed: true, reason: 'unknown' }
          : { allowed: false, country: null };
      }
      return countries.has(country)
        ? { allowed: true, reason: 'country' }
        : { allowed: false, country };
    },
  };
}
export type GeoPolicy = ReturnType<typeof createGeoPolicy>;

/** Validates CIDR strings up front so bad configuration fails at start, not per request. */
export function validateCidr(cidr: string): string | null {
  try {
    addCidr(new BlockList(), cidr);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
