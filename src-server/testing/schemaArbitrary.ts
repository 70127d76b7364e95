import fc from 'fast-check';

/** The parts of a JSON Schema (draft-7, as toJsonSchema makes them) the fuzz test reads. */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly format?: string;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly items?: JsonSchema;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
}

/** A number JSON cannot write; the request body carries it as the literal `1e309`. */
export const OVERFLOW = '\u0001overflow\u0001';

/**
 * Values an attacker sends in place of anything: NUL, numbers past every column, a number no
 * double holds, negatives, long text, wrong types.
 */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    '\u0000',
    'text\u0000after',
    'x'.repeat(100_000),
    '',
    '9999999999999999999',
    '-1',
    '1e309',
    OVERFLOW,
    1e19,
    1e308,
    -1,
    0,
    2147483648,
    -2147483649,
    0.5,
    null,
    true,
    [],
    {},
    ['\u0000'],
    { '\u0000': 1 },
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.double(),
);

/** Text values of a query string or a path (everything there is text). */
export const HOSTILE_TEXTS: readonly string[] = [
  '\u0000',
  'a\u0000b',
  '1e309',
  '-1e309',
  '9999999999999999999',
  '99999999999999999999999999',
  '-1',
  '0',
  'NaN',
  'Infinity',
  '1.5',
  '',
  'x'.repeat(20_000),
  'true',
];
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_TEXTS), weight: 3 },
  fc.string({ unit: 'binary', maxLength: 40 }),
);

const typesOf = (schema: JsonSchema): readonly string[] =>
  schema.type === undefined ? [] : typeof schema.type === 'string' ? [schema.type] : schema.type;

/** A valid-shaped value for `schema` (patterns and formats honoured where they are known). */
export function validArbitrary(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives !== undefined) return fc.oneof(...alternatives.map(validArbitrary));
  const [type] = typesOf(schema);
  switch (type) {
    case 'string':
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.format === 'date-time') {
        return fc
          .date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) })
          .map((d) => d.toISOString());
      }
      if (schema.format === 'email') return fc.emailAddress();
      if (schema.pattern !== undefined) return fc.stringMatching(new RegExp(schema.pattern));
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: schema.maxLength ?? 40 });
    case 'integer':
      return fc.integer({
        min: Math.max(schema.minimum ?? -(2 ** 31), -(2 ** 31)),
        max: Math.min(schema.maximum ?? 2 ** 31 - 1, 2 ** 31 - 1),
      });
    case 'number':
      return fc.double({ min: schema.minimum, max: schema.maximum, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(validArbitrary(schema.items ?? {}), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 4, Math.max(schema.minItems ?? 0, 4)),
      });
    case 'object': {
      const properties = schema.properties ?? {};
      if (Object.keys(properties).length === 0) return fc.dictionary(fc.string(), fc.jsonValue());
      return fc.record(
        Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, validArbitrary(s)])),
        { requiredKeys: [...(schema.required ?? [])] },
      );
    }
    default:
      return fc.jsonValue();
  }
}

type Path = readonly (string | number)[];

/** Every path to a leaf (and to each container) of a JSON value, the root included. */
export function pathsOf(value: unknown, at: Path = []): Path[] {
  const here: Path[] = [at];
  if (Array.isArray(value)) {
    return here.concat(value.flatMap((item, i) => pathsOf(item, [...at, i])));
  }
  if (typeof value === 'object' && value !== null) {
    return here.concat(Object.entries(value).flatMap(([k, item]) => pathsOf(item, [...at, k])));
  }
  return here;
}

/** `value` with the thing at `path` replaced (a copy; the original is left alone). */
export function replaceAt(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    return value.map((item: unknown, i) =>
      i === head ? replaceAt(item, rest, replacement) : item,
    );
  }
  const record = value as Record<string, unknown>;
  return { ...record, [head as string]: replaceAt(record[head as string], rest, replacement) };
}

/**
 * `base` with one place made hostile: a string gets a NUL inside, or any value (the whole
 * document included) is replaced by a hostile value.
 */
export function hostileVariant(base: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(base);
  const replaced = fc
    .tuple(fc.constantFrom(...paths), hostileValue)
    .map(([path, bad]) => replaceAt(base, path, bad));
  const texts = nulVariants(base);
  return texts.length === 0
    ? replaced
    : fc.oneof({ arbitrary: fc.constantFrom(...texts), weight: 3 }, replaced);
}

const valueAt = (value: unknown, path: Path): unknown =>
  path.reduce<unknown>((v, key) => (v as Record<string | number, unknown>)[key], value);

/** `base` once for each string in it, with a NUL put inside that string. */
export function nulVariants(base: unknown): unknown[] {
  return pathsOf(base).flatMap((path) => {
    const current = valueAt(base, path);
    return typeof current === 'string' ? [replaceAt(base, path, `${current}\u0000${current}`)] : [];
  });
}

/** `base` once for each number in it, replaced by each number no column holds. */
export function numberVariants(base: unknown): unknown[] {
  return pathsOf(base).flatMap((path) =>
    typeof valueAt(base, path) === 'number'
      ? [OVERFLOW, 1e19, -2147483649, -1, 0.5].map((bad) => replaceAt(base, path, bad))
      : [],
  );
}

/** JSON text of a body; OVERFLOW becomes `1e309`, which JSON.stringify cannot write. */
export const bodyText = (body: unknown): string =>
  JSON.stringify(body).replaceAll(JSON.stringify(OVERFLOW), '1e309');
