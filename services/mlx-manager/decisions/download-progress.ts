// Hugging Face downloads report progress with tqdm bars on stderr, redrawn
// with \r (e.g. `model.safetensors:  35%|███▌      | 1.52G/4.29G [00:30<00:55, 50.1MB/s]`
// and `Fetching 9 files:  44%|████▍     | 4/9 [00:01<00:02,  2.31it/s]`).

export interface ProgressBar {
  label: string;
  percent: number;
  done: number;
  total: number;
  /** true for the "Fetching N files" bar (counts files, not bytes). */
  countsFiles: boolean;
}

const BAR = /^\s*(?<label>[^|]*?):\s*(?<percent>\d{1,3})%\|[^|]*\|\s*(?<done>[\d.]+)(?<doneUnit>[kMGTP]?)B?\/(?<total>[\d.]+)(?<totalUnit>[kMGTP]?)B?\b/;
const UNIT: Readonly<Record<string, number>> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };

export function parseProgressBar(line: string): ProgressBar | null {
  const groups = BAR.exec(line)?.groups;
  if (!groups) return null;
  const percent = Number(groups.percent);
  if (percent > 100) return null;
  const label = groups.label!.trim();
  return {
    label,
    percent,
    done: Number(groups.done) * UNIT[groups.doneUnit!]!,
    total: Number(groups.total) * UNIT[groups.totalUnit!]!,
    countsFiles: /^Fetching \d+ files?$/.test(label),
  };
}

export interface DownloadProgress {
  /** Latest byte counts per file bar. */
  files: Readonly<Record<string, { done: number; total: number }>>;
  /** Latest percent of the "Fetching N files" bar. */
  filesPercent: number | null;
}

export const EMPTY_DOWNLOAD_PROGRESS: DownloadProgress = { files: {}, filesPercent: null };

export function reduceDownloadProgress(progress: DownloadProgress, bar: ProgressBar): DownloadProgress {
  if (bar.countsFiles) return { ...progress, filesPercent: bar.percent };
  return { ...progress, files: { ...progress.files, [bar.label]: { done: bar.done, total: bar.total } } };
}

/** Bytes done over bytes known when file bars were seen, else the file count's percent. */
export function computeDownloadPercent(progress: DownloadProgress): number | null {
  const files = Object.values(progress.files);
  const total = files.reduce((sum, file) => sum + file.total, 0);
  if (total > 0) {
    const done = files.reduce((sum, file) => sum + Math.min(file.done, file.total), 0);
    return Math.floor((100 * done) / total);
  }
  return progress.filesPercent;
}
