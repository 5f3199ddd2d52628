// The files of a study folder a person picks from when setting up the model (a module, a script for a command):
// the study's own files, not what Furrow makes there (data/, cases/, crops/, backups/, eval/, runs.sqlite and its
// journal files), hidden files or installed packages. A walk is bounded, so a huge folder answers quickly.
import fs from 'node:fs';
import path from 'node:path';
import { RUN_DB } from '../db/schema';

const MADE_BY_FURROW = new Set(['data', 'cases', 'crops', 'backups', 'eval', 'node_modules', '__pycache__']);
const MAX_FILES = 1000;
const MAX_DEPTH = 4;

export function studyFiles(dir: string): { files: string[]; truncated: boolean } {
  const files: string[] = [];
  let truncated = false;
  const walk = (rel: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return; // unreadable: nothing to pick there
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || (depth === 0 && entry.name.startsWith(RUN_DB))) continue;
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (depth === 0 && MADE_BY_FURROW.has(entry.name)) continue;
        if (entry.name === 'node_modules') continue;
        if (depth + 1 < MAX_DEPTH) walk(child, depth + 1);
      } else if (entry.isFile()) {
        if (files.length === MAX_FILES) {
          truncated = true;
          return;
        }
        files.push(child);
      }
    }
  };
  walk('', 0);
  return { files, truncated };
}
