// The fault campaign's figures: a row per kind of fault, printed at the end and kept in test-results/faults.txt.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/furrow';

export interface Row {
  section: string;
  trials: number;
  faults: number;
  /** Kills that landed inside a change of the dataset (its journal was there after the kill). */
  inside: number;
  /** Cases finished (reported stored) before each fault, summed. */
  before: number;
  /** Cases found afterwards (in the dataset, or as a clear error for fuzzed inputs), summed. */
  after: number;
  lost: number;
  unreadable: number;
}

export class FaultTable {
  readonly rows = new Map<string, Row>();

  add(section: string, figures: Partial<Omit<Row, 'section'>>): void {
    const row = this.rows.get(section) ?? {
      section,
      trials: 0,
      faults: 0,
      inside: 0,
      before: 0,
      after: 0,
      lost: 0,
      unreadable: 0,
    };
    for (const key of ['trials', 'faults', 'inside', 'before', 'after', 'lost', 'unreadable'] as const)
      row[key] += figures[key] ?? 0;
    this.rows.set(section, row);
  }

  text(header: string): string {
    const head = ['', 'trials', 'faults', 'inside a change', 'done before', 'found after', 'lost', 'unreadable'];
    const rows = [...this.rows.values()].map((r) => [
      r.section,
      ...[r.trials, r.faults, r.inside, r.before, r.after, r.lost, r.unreadable].map(String),
    ]);
    const total = (k: 'trials' | 'faults' | 'inside' | 'lost' | 'unreadable') =>
      [...this.rows.values()].reduce((n, r) => n + r[k], 0);
    rows.push([
      'total',
      String(total('trials')),
      String(total('faults')),
      String(total('inside')),
      '',
      '',
      String(total('lost')),
      String(total('unreadable')),
    ]);
    const widths = head.map((_, i) => Math.max(head[i]!.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) =>
      cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    return [header, line(head), ...rows.map(line)].join('\n');
  }

  write(header: string): string {
    const text = this.text(header);
    fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'test-results', 'faults.txt'), `${text}\n`);
    return text;
  }
}
