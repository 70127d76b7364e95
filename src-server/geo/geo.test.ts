import { beforeAll, describe, expect, it } from 'vitest';
import { loadCountryLookup, type CountryLookup } from './countryLookup.js';
import { createGeoPolicy, validateCidr } from './geoPolicy.js';
import { parseIp } from './ipAddress.js';

describe('IP parsing', () => {
  it('parses IPv4, IPv6, mapped and zoned addresses', () => {
    expect(parseIp('1.0.16.1')).toEqual({ family: 'ipv4', value: 0x01001001n });
    expect(parseIp('::ffff:1.0.16.1')).toEqual({ family: 'ipv4', value: 0x01001001n });
    expect(parseIp('::1')).toEqual({ family: 'ipv6', value: 1n });
    expect(parseIp('2001:db8::1')).toEqual({
      family: 'ipv6',
      value: (0x20010db8n << 96n) | 1n,
    });
    expect(parseIp('fe80::1%eth0')).toEqual({ family: 'ipv6', value: (0xfe80n << 112n) | 1n });
    expect(parseIp('1:2:3:4:5:6:7:8')?.value).toBe(0x00010002000300040005000600070008n);
  });

  it('refuses what is not an address', () => {
    for (const bad of ['', 'localhost', '1.2.3', '256.1.1.1', '1.2.3.4; DROP', ':::', '::g']) {
      expect(parseIp(bad)).toBeNull();
    }
  });
});

describe('country look-up from the shipped dataset', () => {
  let lookup: CountryLookup;
  beforeAll(async () => {
    lookup = await loadCountryLookup();
  });

  it('finds Japanese and foreign addresses, IPv4 and IPv6', () => {
    expect(lookup.country('1.0.16.1')).toBe('JP'); // 1.0.16.0-1.0.31.255 JP in the dataset
    expect(lookup.country('::ffff:1.0.16.1')).toBe('JP');
    expect(lookup.country('1.0.1.1')).toBe('CN');
    expect(lookup.country('1.0.0.1')).toBe('AU');
    expect(lookup.country('2001:218:2000:52::1')).toBe('JP');
    expect(lookup.country('2001:400::1')).toBe('US');
  });

  it('knows nothing of private and documentation ranges', () => {
    expect(lookup.country('10.1.2.3')).toBeNull();
    expect(lookup.country('192.0.2.1')).toBeNull();
    expect(lookup.country('not-an-ip')).toBeNull();
  });

  it('applies the policy: loopback, CIDRs, countries, unknown', () => {
    const policy = createGeoPolicy(lookup, {
      allowedCountries: ['JP'],
      allowCidrs: ['198.51.100.0/24', '2001:db8:1::/48'],
      allowUnknown: false,
      allowLoopback: true,
    });
    expect(policy.decide('127.0.0.1')).toEqual({ allowed: true, reason: 'loopback' });
    expect(policy.decide('::1')).toEqual({ allowed: true, reason: 'loopback' });
    expect(policy.decide('::ffff:127.0.0.1')).toEqual({ allowed: true, reason: 'loopback' });
    expect(policy.decide('198.51.100.7')).toEqual({ allowed: true, reason: 'cidr' });
    expect(policy.decide('2001:db8:1::5')).toEqual({ allowed: true, reason: 'cidr' });
    expect(policy.decide('1.0.16.1')).toEqual({ allowed: true, reason: 'country' });
    expect(policy.decide('1.0.1.1')).toEqual({ allowed: false, country: 'CN' });
    expect(policy.decide('10.1.2.3')).toEqual({ allowed: false, country: null });
    const lenient = createGeoPolicy(lookup, {
      allowedCountries: ['jp'],
      allowCidrs: [],
      allowUnknown: true,
      allowLoopback: true,
    });
    expect(lenient.decide('10.1.2.3')).toEqual({ allowed: true, reason: 'unknown' });
    expect(lenient.decide('1.0.16.1')).toEqual({ allowed: true, reason: 'country' });
  });

  it('treats loopback like any unknown address when loopback is not allowed', () => {
    const strict = createGeoPolicy(lookup, {
      allowedCountries: ['JP'],
      allowCidrs: [],
      allowUnknown: false,
      allowLoopback: false,
    });
    expect(strict.decide('127.0.0.1')).toEqual({ allowed: false, country: null });
    expect(strict.decide('::1')).toEqual({ allowed: false, country: null });
    expect(strict.decide('::ffff:127.0.0.1')).toEqual({ allowed: false, country: null });
    expect(strict.decide('1.0.16.1')).toEqual({ allowed: true, reason: 'country' });
  });

  it('rejects malformed CIDRs up front', () => {
    expect(validateCidr('10.0.0.0/8')).toBeNull();
    expect(validateCidr('10.0.0.0/33')).toMatch(/not a CIDR/);
    expect(validateCidr('example.com/24')).toMatch(/not a CIDR/);
    expect(() =>
      createGeoPolicy(lookup, {
        allowedCountries: [],
        allowCidrs: ['x'],
        allowUnknown: false,
        allowLoopback: true,
      }),
    ).toThrow(/not a CIDR/);
  });
});
