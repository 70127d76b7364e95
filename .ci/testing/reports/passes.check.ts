import { expect, it } from 'vitest';

it('passes', () => {
  expect([1, 2].length).toBe(2);
});
