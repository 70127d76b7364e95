import { isIPv4, isIPv6 } from 'node:net';

export type IpFamily = 'ipv4' | 'ipv6';

/** An address as a number for range look-ups; IPv4-mapped IPv6 (::ffff:a.b.c.d) counts as IPv4. */
export interface NumericIp {
  readonly family: IpFamily;
  readonly value: bigint;
}

const ipv4ToBigInt = (address: string): bigint =>
  address.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);

function ipv6ToBigInt(address: string): bigint {
  let text = address;
  // An embedded IPv4 tail (e.g. ::ffff:1.2.3.4) becomes two hextets.
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = ipv4ToBigInt(tail);
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const headParts = head ? head.split(':') : [];
  const restParts = rest === undefined ? [] : rest ? rest.split(':') : [];
  const missing = 8 - headParts.length - restParts.length;
  const hextets = [
    ...headParts,
    ...Array<string>(rest === undefined ? 0 : missing).fill('0'),
    ...restParts,
  ];
  return hextets.reduce((acc, h) => (acc << 16n) | BigInt(parseInt(h, 16)), 0n);
}

const MAPPED_V4_PREFIX = 0xffffn << 32n;

/** Parses an address (optionally with a zone id); null when it is not an IP address. */
export function parseIp(raw: string): NumericIp | null {
  const address = raw.split('%')[0] ?? '';
  if (isIPv4(address)) return { family: 'ipv4', value: ipv4ToBigInt(address) };
  if (!isIPv6(address)) return null;
  const value = ipv6ToBigInt(address);
  if (value >> 32n === 0xffffn && (value & ~0xffffffffn) === MAPPED_V4_PREFIX) {
    return { family: 'ipv4', value: value & 0xffffffffn };
  }
  return { family: 'ipv6', value };
}

/** The canonical text for a numeric IPv4 value. */
export const ipv4ToString = (value: bigint): string =>
  [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 0xffn).toString()).join('.');
