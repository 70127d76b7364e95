import type { Background, Element, Page } from '../model/page.js';

/**
 * Something the merge had to decide against one side. The merged page is always complete and
 * valid; a conflict tells the user which of their local values was overridden (remote wins) or
 * which deletion was not applied, so that nothing is dropped silently.
 *
 * - `field`: the same field was changed differently on both sides; the remote value was kept.
 *   `elementId` is null for the page-level `background`.
 * - `delete-vs-edit`: one side deleted the element, the other changed it; the changed element
 *   was kept. The deleting side's value is null.
 * - `kind-changed`: the two sides disagree on the element's `kind`, so the element cannot be
 *   merged field by field; the remote element was kept whole.
 * - `order`: both sides reordered the elements differently; the remote order was kept.
 *
 * `field` is null when the conflict concerns a whole element.
 */
export type MergeConflict =
  | {
      readonly kind: 'field';
      readonly elementId: string | null;
      readonly field: string;
      readonly localValue: unknown;
      readonly remoteValue: unknown;
    }
  | {
      readonly kind: 'delete-vs-edit';
      readonly elementId: string;
      readonly field: null;
      readonly localValue: Element | null;
      readonly remoteValue: Element | null;
    }
  | {
      readonly kind: 'kind-changed';
      readonly elementId: string;
      readonly field: null;
      readonly localValue: Element;
      readonly remoteValue: Element;
    }
  | {
      readonly kind: 'order';
      readonly elementId: null;
      readonly field: 'elements';
      readonly localValue: readonly string[];
      readonly remoteValue: readonly string[];
    };

export interface MergeResult {
  readonly merged: Page;
  readonly conflicts: MergeConflict[];
}

/**
 * Three-way merge of one page: `base` is the last server copy the client saw, `local` the
 * client's copy, `remote` the server's current copy (it carries the page metadata: id, albumId,
 * index, version, schemaVersion).
 *
 * Elements are matched by id and merged field by field (top-level fields). Nested values
 * (`placement`, `stroke`, and the page `background`) are compared deeply and merged as ONE
 * value, not field by field inside: a placement's fit, scale and offsets together frame one
 * crop of the photo, so taking the scale from one side and the offsets from the other would
 * produce a crop neither person chose, silently. A stroke's colour and width are likewise one
 * visual decision, and it is nullable (null vs object has no inner fields to merge). For the
 * same reason an image frame's `photoId` and `placement` merge together (FIELD_GROUPS).
 *
 * Rules: a change on one side is kept; the same change on both sides is kept once; different
 * changes to one field take the remote value (conflict `field`). Deleted on one side and
 * changed on the other: kept with the changes (conflict `delete-vs-edit`); deleted on one side
 * and untouched on the other, or deleted on both: deleted. Added on either side: kept; the same
 * id added on both sides is merged against an empty base. Different kinds on the two sides: the
 * remote element whole (conflict `kind-changed`).
 *
 * Order: if only local reordered the elements it shares with base, the local order is kept;
 * otherwise the remote order (conflict `order` if both reordered differently). Elements the
 * other side contributed (its additions, or its edits the first side had deleted) are placed
 * after their nearest preceding element in that side's order that is in the result, or first.
 *
 * Pure and deterministic; linear in the number of elements. Does not mutate its inputs, but the
 * result shares unchanged objects with them (treat pages as immutable values).
 */
export function mergePage(base: Page, local: Page, remote: Page): MergeResult {
  const baseById = indexById(base.elements);
  const localById = indexById(local.elements);
  const remoteById = indexById(remote.elements);

  const merged = new Map<string, Element>();
  const elementConflicts = new Map<string, MergeConflict[]>();
  const report = (id: string, conflict: MergeConflict): void => {
    const list = elementConflicts.get(id);
    if (list) list.push(conflict);
    else elementConflicts.set(id, [conflict]);
  };

  for (const r of remote.elements) {
    const l = localById.get(r.id);
    const b = baseById.get(r.id);
    if (l) {
      merged.set(r.id, mergeElement(b, l, r, report));
    } else if (!b) {
      merged.set(r.id, r); // added remotely
    } else if (!deepEqual(r, b)) {
      // Deleted locally, changed remotely: keep the change.
      merged.set(r.id, r);
      report(r.id, {
        kind: 'delete-vs-edit',
        elementId: r.id,
        field: null,
        localValue: null,
        remoteValue: r,
      });
    } // else deleted locally, untouched remotely: deleted.
  }
  for (const l of local.elements) {
    if (remoteById.has(l.id)) continue;
    const b = baseById.get(l.id);
    if (!b) {
      merged.set(l.id, l); // added locally
    } else if (!deepEqual(l, b)) {
      // Deleted remotely, changed locally: keep the change.
      merged.set(l.id, l);
      report(l.id, {
        kind: 'delete-vs-edit',
        elementId: l.id,
        field: null,
        localValue: l,
        remoteValue: null,
      });
    } // else deleted remotely, untouched locally: deleted.
  }
  // Elements only in base were deleted on both sides.

  const order = mergeOrder(base.elements, baseById, local.elements, localById, remote.elements);
  const elements = placeElements(order.primary, order.secondary, merged);

  const conflicts: MergeConflict[] = [];
  const background = mergeValue<Background>(base.background, local.background, remote.background);
  if (background.conflict) {
    conflicts.push({
      kind: 'field',
      elementId: null,
      field: 'background',
      localValue: local.background,
      remoteValue: remote.background,
    });
  }
  for (const element of elements) {
    const list = elementConflicts.get(element.id);
    if (list) conflicts.push(...list);
  }
  if (order.conflict) {
    conflicts.push({
      kind: 'order',
      elementId: null,
      field: 'elements',
      localValue: local.elements.map((e) => e.id),
      remoteValue: remote.elements.map((e) => e.id),
    });
  }

  return {
    merged: {
      schemaVersion: remote.schemaVersion,
      id: remote.id,
      albumId: remote.albumId,
      index: remote.index,
      version: remote.version,
      background: background.value,
      elements,
    },
    conflicts,
  };
}

/** Marks a field that does not exist on the base (element added on both sides). */
const ABSENT: unique symbol = Symbol('absent');

function mergeValue<T>(
  base: T | typeof ABSENT,
  local: T,
  remote: T,
): { value: T; fromLocal: boolean; conflict: boolean } {
  if (deepEqual(local, remote)) return { value: remote, fromLocal: false, conflict: false };
  if (base !== ABSENT && deepEqual(remote, base)) {
    return { value: local, fromLocal: true, conflict: false };
  }
  if (base !== ABSENT && deepEqual(local, base)) {
    return { value: remote, fromLocal: false, conflict: false };
  }
  return { value: remote, fromLocal: false, conflict: true };
}

function mergeElement(
  base: Element | undefined,
  local: Element,
  remote: Element,
  report: (id: string, conflict: MergeConflict) => void,
): Element {
  if (deepEqual(local, remote)) return remote;
  if (base) {
    if (deepEqual(remote, base)) return local;
    if (deepEqual(local, base)) return remote;
  }
  if (local.kind !== remote.kind) {
    report(remote.id, {
      kind: 'kind-changed',
      elementId: remote.id,
      field: null,
      localValue: local,
      remoteValue: remote,
    });
    return remote;
  }
  // Same kind on both sides, so the same (strict) set of keys. The base may be absent (added on
  // both sides) or of another kind (both sides changed the kind the same way): its fields count
  // only where it has them.
  const b = base as Record<string, unknown> | undefined;
  const l = local as Record<string, unknown>;
  const r = remote as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  let anyFromLocal = false;
  for (const unit of mergeUnits(remote)) {
    const pick = (e: Record<string, unknown>) => unit.map((key) => e[key]);
    const baseHasUnit = b !== undefined && unit.every((key) => Object.hasOwn(b, key));
    const field = mergeValue(baseHasUnit ? pick(b) : ABSENT, pick(l), pick(r));
    unit.forEach((key, i) => (out[key] = field.value[i]));
    if (field.fromLocal) anyFromLocal = true;
    if (!field.conflict) continue;
    for (const key of unit) {
      if (deepEqual(l[key], r[key])) continue;
      report(remote.id, {
        kind: 'field',
        elementId: remote.id,
        field: key,
        localValue: l[key],
        remoteValue: r[key],
      });
    }
  }
  return anyFromLocal ? (out as Element) : remote;
}

/**
 * Fields that are one decision and merge as a unit: a frame's crop was made for its photo, so a
 * new photo from one side never gets the other side's crop of the old photo.
 */
const FIELD_GROUPS: Readonly<Partial<Record<Element['kind'], readonly (readonly string[])[]>>> = {
  image: [['photoId', 'placement']],
};

export function mergeUnits(element: Element): (readonly string[])[] {
  const groups = FIELD_GROUPS[element.kind] ?? [];
  const grouped = new Set(groups.flat());
  return [
    ...groups,
    ...Object.keys(element)
      .filter((key) => !grouped.has(key))
      .map((k) => [k]),
  ];
}

function mergeOrder(
  base: readonly Element[],
  baseById: ReadonlyMap<string, Element>,
  local: readonly Element[],
  localById: ReadonlyMap<string, Element>,
  remote: readonly Element[],
): { primary: readonly Element[]; secondary: readonly Element[]; conflict: boolean } {
  const remoteById = indexById(remote);
  const localReordered = !sameRelativeOrder(base, localById, local, baseById);
  const remoteReordered = !sameRelativeOrder(base, remoteById, remote, baseById);
  if (localReordered && !remoteReordered) {
    return { primary: local, secondary: remote, conflict: false };
  }
  const conflict = localReordered && !sameRelativeOrder(local, remoteById, remote, localById);
  return { primary: remote, secondary: local, conflict };
}

/** Whether the elements common to `a` and `b` appear in the same order in both. */
function sameRelativeOrder(
  a: readonly Element[],
  bIds: ReadonlyMap<string, unknown>,
  b: readonly Element[],
  aIds: ReadonlyMap<string, unknown>,
): boolean {
  let j = 0;
  for (const x of a) {
    if (!bIds.has(x.id)) continue;
    while (j < b.length && !aIds.has(b[j]!.id)) j++;
    if (j >= b.length || b[j]!.id !== x.id) return false;
    j++;
  }
  return true;
}

/**
 * The merged elements in `primary` order; those that are not in `primary` (the other side's
 * contributions) go right after their nearest preceding element in `secondary` order that is
 * in the primary sequence, or first if there is none, keeping their own relative order.
 */
function placeElements(
  primary: readonly Element[],
  secondary: readonly Element[],
  merged: ReadonlyMap<string, Element>,
): Element[] {
  const inPrimary = new Set<string>();
  for (const e of primary) if (merged.has(e.id)) inPrimary.add(e.id);
  const after = new Map<string | null, string[]>();
  let anchor: string | null = null;
  for (const e of secondary) {
    if (inPrimary.has(e.id)) {
      anchor = e.id;
    } else if (merged.has(e.id)) {
      const group = after.get(anchor);
      if (group) group.push(e.id);
      else after.set(anchor, [e.id]);
    }
  }
  const out: Element[] = [];
  const pushGroup = (key: string | null): void => {
    for (const id of after.get(key) ?? []) out.push(merged.get(id)!);
  };
  pushGroup(null);
  for (const e of primary) {
    if (!inPrimary.has(e.id)) continue;
    out.push(merged.get(e.id)!);
    pushGroup(e.id);
  }
  return out;
}

function indexById(elements: readonly Element[]): Map<string, Element> {
  const map = new Map<string, Element>();
  for (const e of elements) map.set(e.id, e);
  return map;
}

/** Structural equality of JSON values (what pages are made of). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = Object.keys(ao);
  if (keys.length !== Object.keys(bo).length) return false;
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(bo, key) || !deepEqual(ao[key], bo[key])) {
      return false;
    }
  }
  return true;
}
