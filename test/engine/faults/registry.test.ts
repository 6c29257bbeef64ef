import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FAULT_STEPS } from '../../../src/engine/faults/registry.ts';

const schema = JSON.parse(
  readFileSync(new URL('../../../specs/schemas/scenario.schema.json', import.meta.url), 'utf8'),
) as { $defs: { faultStep: { oneOf: { required: string[] }[] } } };

describe('the fault step registry', () => {
  it('has one step for each step the scenario schema allows, and no other', () => {
    const inSchema = schema.$defs.faultStep.oneOf.map((s) => s.required[0]!).sort();
    expect(Object.keys(FAULT_STEPS).sort()).toEqual(inSchema);
  });

  it('registers each step under the name its definition gives', () => {
    for (const [name, definition] of Object.entries(FAULT_STEPS))
      expect(definition.name, `FAULT_STEPS.${name}`).toBe(name);
  });

  it('gives every step something to do: build, edit, or act on the run', () => {
    const idle = Object.values(FAULT_STEPS)
      .filter((d) => Object.keys(d).length === 1)
      .map((d) => d.name);
    expect(idle).toEqual([]);
  });
});
