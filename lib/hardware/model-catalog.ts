import { detectModelSize } from '../models/model-size.js';

export interface CatalogModel {
  id: string;
  /** The smallest memory (GB) the recommendation table gives this model to. */
  memoryGb: number;
  /** About how much the weights take on disk (GB), for the download and the free-disk check. */
  downloadGb: number;
  summary: string;
}

// The recommendation table of issue #7: the strongest coding model that
// leaves room for the KV cache and the rest of the Mac at each memory size.
export const MODEL_CATALOG: readonly CatalogModel[] = [
  { id: 'mlx-community/Qwen2.5-Coder-7B-Instruct-4bit', memoryGb: 8, downloadGb: 4.3, summary: '7B dense, fast, simple edits' },
  { id: 'mlx-community/Qwen2.5-Coder-14B-Instruct-4bit', memoryGb: 16, downloadGb: 8.3, summary: '14B dense, better code, slower prefill' },
  { id: 'mlx-community/Qwen3-Coder-30B-A3B-Instruct-4bit', memoryGb: 32, downloadGb: 17.2, summary: '30B mixture of experts (3B active), fast and capable' },
  { id: 'mlx-community/Qwen3-Coder-Next-4bit', memoryGb: 64, downloadGb: 44.9, summary: '80B mixture of experts, strong agentic coding' },
  { id: 'mlx-community/Qwen3-Coder-Next-8bit', memoryGb: 128, downloadGb: 84.7, summary: 'the same at 8-bit, closest to full quality' },
];

export function findCatalogModel(id: string): CatalogModel | undefined {
  return MODEL_CATALOG.find((model) => model.id === id);
}

/** Whether a model keeps medium-effort work local on a big machine (issue #7: Qwen3-Coder-Next on 64 GB and more). */
export function isStrongLocalModel(id: string): boolean {
  return /qwen3-coder-next/i.test(id);
}

/**
 * A rough on-disk size for any model id, for the free-disk check: the catalog's
 * number, else parameters × bits / 8 (plus 10 % for embeddings and files),
 * with the parameter count as lib/models reads it from the id; else null.
 */
export function estimateDownloadGb(id: string): number | null {
  const known = findCatalogModel(id);
  if (known) return known.downloadGb;
  const { billions } = detectModelSize(id);
  if (billions === null) return null;
  const bits = Number(/(\d+)-?bit/i.exec(id)?.[1] ?? 16);
  return Math.round(billions * (bits / 8) * 1.1 * 10) / 10;
}
