import { BYTES_PER_GIB } from './hardware.js';
import { MODEL_CATALOG, type CatalogModel } from './model-catalog.js';

export interface ModelRecommendation {
  model: CatalogModel;
  /** Why, in words a user reads in the wizard. */
  reason: string;
}

// Linux reports MemTotal after the kernel's reservation (a 16 GB machine shows
// about 15.5 GiB), so a row applies from 90 % of its size.
const ROW_TOLERANCE = 0.9;

/** Picks the catalog model for a memory size (pure: the table of issue #7). */
export function recommendModel(memoryBytes: number | null): ModelRecommendation {
  const smallest = MODEL_CATALOG[0]!;
  if (memoryBytes === null) {
    return { model: smallest, reason: 'the memory size could not be read, so the smallest model is the safe choice' };
  }
  const gib = memoryBytes / BYTES_PER_GIB;
  const fitting = MODEL_CATALOG.filter((model) => gib >= model.memoryGb * ROW_TOLERANCE);
  const model = fitting.at(-1);
  if (!model) {
    return { model: smallest, reason: `${Math.round(gib)} GB is below the 8 GB this model wants; expect it to be slow or not to load` };
  }
  return { model, reason: `the best fit for ${Math.round(gib)} GB of memory` };
}
