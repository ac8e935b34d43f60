import { describe, expect, it } from 'vitest';
import { sourceModules } from '../../src/sources';
import { WAITING_PHASES } from '../../src/vocabulary';

describe('the source registry', () => {
  it('lists each source under the name its definition carries', () => {
    for (const [name, module] of Object.entries(sourceModules)) expect(module.definition.name).toBe(name);
  });

  it("names as a source's legacy-id column one of its own columns", () => {
    for (const module of Object.values(sourceModules)) {
      const column = module.verification.legacyIdColumn;
      if (column !== null) expect(module.definition.columns.map((c) => c.name)).toContain(column);
    }
  });

  it('declares prerequisites on registered sources, each with a waiting phase of the vocabulary', () => {
    const prerequisites = Object.values(sourceModules).flatMap((m) => m.prerequisites);
    expect(prerequisites.length).toBeGreaterThan(0);
    for (const { source, waitingPhase } of prerequisites) {
      expect(Object.keys(sourceModules)).toContain(source);
      expect(WAITING_PHASES).toContain(waitingPhase);
    }
  });
});
