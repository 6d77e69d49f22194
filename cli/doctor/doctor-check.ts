export type CheckStatus = 'pass' | 'fail' | 'warn';

/** One line of `mallex doctor`: what was checked, what was found, and for a failure the fix. */
export interface DoctorCheck {
  status: CheckStatus;
  name: string;
  detail: string;
  fix?: string;
}

const SYMBOLS: Record<CheckStatus, string> = { pass: '✓', fail: '✗', warn: '!' };

export function formatCheck(check: DoctorCheck): string {
  const line = `${SYMBOLS[check.status]} ${check.name}: ${check.detail}`;
  return check.fix && check.status !== 'pass' ? `${line}\n    fix: ${check.fix}` : line;
}

export const pass = (name: string, detail: string): DoctorCheck => ({ status: 'pass', name, detail });
export const fail = (name: string, detail: string, fix: string): DoctorCheck => ({ status: 'fail', name, detail, fix });
export const warn = (name: string, detail: string, fix?: string): DoctorCheck => ({ status: 'warn', name, detail, ...(fix ? { fix } : {}) });
