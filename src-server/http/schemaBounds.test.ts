import { describe, expect, it } from 'vitest';
import { ALL_ROUTES } from '../../src-shared/cloud/allRoutes.js';
import { routeName } from '../../src-shared/cloud/routeSpec.js';
import { toJsonSchema } from './route.js';

const INT4_MAX = 2_147_483_647;

/**
 * Numbers the API takes that are stored in bigint columns (or never stored) and so may pass
 * int4; every other integer must fit int4. Literal: a new one is a decision, made here.
 */
const BEYOND_INT4: readonly string[] = [
  // photos.size is bigint; the batch route leaves the size cap to its photo_too_large answer.
  'POST /v1/albums/:albumId/photos/uploads/batch body.uploads.[].size',
];

interface Found {
  readonly where: string;
  readonly schema: Record<string, unknown>;
}

/** Every node of a JSON schema whose type includes `type`, with where it is. */
function nodesOfType(schema: unknown, type: string, where: string): Found[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const node = schema as Record<string, unknown>;
  const types = Array.isArray(node['type']) ? (node['type'] as unknown[]) : [node['type']];
  const here = types.includes(type) ? [{ where, schema: node }] : [];
  const children = Object.entries(node).flatMap(([key, child]): Found[] => {
    if (key === 'properties' && typeof child === 'object' && child !== null) {
      return Object.entries(child).flatMap(([name, s]) => nodesOfType(s, type, `${where}.${name}`));
    }
    if (key === 'items') return nodesOfType(child, type, `${where}.[]`);
    if (key === 'additionalProperties') return nodesOfType(child, type, `${where}.*`);
    if (key === 'anyOf' || key === 'oneOf' || key === 'allOf') {
      return (child as unknown[]).flatMap((s) => nodesOfType(s, type, where));
    }
    return [];
  });
  return [...here, ...children];
}

/** Every number and integer that any route takes, from the JSON schemas the server validates. */
function inputNumbers(): Found[] {
  return ALL_ROUTES.flatMap((spec) =>
    (['params', 'query', 'body'] as const).flatMap((part) => {
      const schema = spec[part];
      if (schema === undefined) return [];
      const json = toJsonSchema(schema, 'input');
      const where = `${routeName(spec)} ${part}`;
      return [...nodesOfType(json, 'number', where), ...nodesOfType(json, 'integer', where)];
    }),
  );
}

const bound = (schema: Record<string, unknown>, inclusive: string, exclusive: string) => {
  const value = schema[inclusive] ?? schema[exclusive];
  return typeof value === 'number' ? value : undefined;
};

describe('numbers in the API', () => {
  it('are found by the walk (it reads the real schemas)', () => {
    expect(inputNumbers().map((n) => n.where)).toContain('GET /v1/audit-events query.limit');
  });

  it('each have a finite lower and upper bound that fit their column', () => {
    const problems = inputNumbers().flatMap(({ where, schema }) => {
      const min = bound(schema, 'minimum', 'exclusiveMinimum');
      const max = bound(schema, 'maximum', 'exclusiveMaximum');
      if (min === undefined || max === undefined) return [`${where}: unbounded`];
      if (!Number.isFinite(min) || !Number.isFinite(max)) return [`${where}: infinite bound`];
      const isInteger = schema['type'] === 'integer';
      const limit = isInteger && !BEYOND_INT4.includes(where) ? INT4_MAX : Number.MAX_SAFE_INTEGER;
      return min < -limit || max > limit ? [`${where}: [${min}, ${max}] past ${limit}`] : [];
    });
    expect(problems).toEqual([]);
  });

  it('beyond int4 are only the ones listed, and each of those exists', () => {
    const found = inputNumbers().map((n) => n.where);
    for (const where of BEYOND_INT4) expect(found).toContain(where);
  });
});
