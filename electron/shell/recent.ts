// File → Open Recent: the studies opened last, newest first (userData/recent.json), kept only while they exist.
import fs from 'node:fs';
import path from 'node:path';

const MAX = 10;

export function readRecent(dir: string): string[] {
  try {
    const list = JSON.parse(fs.readFileSync(path.join(dir, 'recent.json'), 'utf8')) as unknown;
    return Array.isArray(list) ? list.filter((d): d is string => typeof d === 'string' && fs.existsSync(d)) : [];
  } catch {
    return [];
  }
}

/** Put `study` first and return the new list. */
export function addRecent(dir: string, study: string): string[] {
  const list = [study, ...readRecent(dir).filter((d) => d !== study)].slice(0, MAX);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'recent.json'), JSON.stringify(list));
  } catch {
    // a read-only profile: the menu just forgets
  }
  return list;
}
