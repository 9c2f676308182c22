import { expect, it } from 'vitest';
import { DEMO_CONFIG } from './demo.ts';

it('the demo config is a valid p = 59 MLP run short enough for a first look', () => {
  expect(DEMO_CONFIG.p).toBe(59);
  expect(DEMO_CONFIG.model.kind).toBe('MLP');
  expect(DEMO_CONFIG.steps).toBeLessThanOrEqual(3000);
});
