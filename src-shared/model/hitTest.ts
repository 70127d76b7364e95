import { rotatedBounds, type Rect } from '../geometry/boxes.js';
import type { Element, ImageFrame, Page } from './page.js';

/**
 * Which elements of a page are at a point or in a rectangle, in mm from the trim's top-left,
 * from the document alone (the canvas library's own hit test needs a drawn stage). Later
 * elements are drawn over earlier ones, so "topmost" is the last in page order.
 */

/** Slack for points on an edge: turning a point about a centre is not exact in floating point. */
const EDGE_MM = 1e-9;

/** Whether the point is on the element: inside its box turned about its centre; edges count. */
export function elementContains(element: Element, x: number, y: number): boolean {
  const cx = element.x + element.width / 2;
  const cy = element.y + element.height / 2;
  // The point turned back by the element's rotation (clockwise, y pointing down).
  const rad = (element.rotation * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const dx = x - cx;
  const dy = y - cy;
  const localX = dx * cos + dy * sin;
  const localY = -dx * sin + dy * cos;
  return (
    Math.abs(localX) <= element.width / 2 + EDGE_MM &&
    Math.abs(localY) <= element.height / 2 + EDGE_MM
  );
}

/** The topmost element at the point that `accept` takes (any, by default), or null. */
export function elementAt<E extends Element = Element>(
  page: Pick<Page, 'elements'>,
  x: number,
  y: number,
  accept: (element: Element) => element is E = (_e): _e is E => true,
): E | null {
  for (let i = page.elements.length - 1; i >= 0; i--) {
    const element = page.elements[i]!;
    if (accept(element) && elementContains(element, x, y)) return element;
  }
  return null;
}

const isFrame = (element: Element): element is ImageFrame => element.kind === 'image';

/**
 * The topmost image frame at the point, whatever lies over it (a photo dropped there fills
 * it), or null.
 */
export const frameAt = (page: Pick<Page, 'elements'>, x: number, y: number): ImageFrame | null =>
  elementAt(page, x, y, isFrame);

/**
 * The elements, in page order, whose box (a rotated one: the upright box around it) overlaps
 * the rectangle; touching it along an edge is not overlapping. The rubber band selects these.
 */
export function elementsInRect(page: Pick<Page, 'elements'>, rect: Rect): Element[] {
  return page.elements.filter((element) => {
    const b = rotatedBounds(element, element.rotation);
    return (
      b.x < rect.x + rect.width &&
      rect.x < b.x + b.width &&
      b.y < rect.y + rect.height &&
      rect.y < b.y + b.height
    );
  });
}
