// study.yaml's text to a checked spec: the YAML read as PyYAML reads it, then the schema of shared/study.ts. A
// schema failure is told in a person's words: the misspelt key and what it most likely meant, the branch of a
// union the person meant, the line of the field.
import type { z } from 'zod';
import type { StudySpec } from '../../../shared/study';
import { issueDetail, loadEntrySchema, studySpecSchema } from '../../../shared/study';
import { StudyFileError } from '../errors';
import { parseYamlFile, plainData } from './yaml-file';

type Issue = z.core.$ZodIssue;

// A key from YAML is a string (an index a number): never a symbol, which zod's type allows.
const pathOf = (issue: Issue) => issue.path as (string | number)[];

/**
 * The issue to report: a misspelt key first (it also makes the right key look missing), and inside a union
 * (a generator, say) the branch that got furthest, since that is the one the person meant.
 */
function mostSpecific(issues: readonly Issue[]): Issue {
  const unknownKey = issues.find((i) => i.code === 'unrecognized_keys');
  if (unknownKey) return unknownKey;
  const first = issues[0]!;
  if (first.code !== 'invalid_union') return first;
  // An issue list per branch (the study's unions are plain ones: a branch each, never none).
  const branches = first.errors.map((branch) =>
    branch.map((i) => ({ ...i, path: [...first.path, ...i.path] }) as Issue),
  );
  const deepest = branches
    .map((branch) => mostSpecific(branch))
    .sort((a, b) => pathOf(b).length - pathOf(a).length)[0]!;
  return pathOf(deepest).length > pathOf(first).length ? deepest : first;
}

/** The keys a mapping at `path` may have, where the schema says. */
function knownKeys(path: (string | number)[]): string[] {
  if (path.length === 0) return Object.keys(studySpecSchema.shape);
  if (path.length === 1 && path[0] === 'model') return Object.keys(studySpecSchema.shape.model.shape);
  if (path.length === 2 && path[0] === 'load') return Object.keys(loadEntrySchema.shape);
  return [];
}

/** The known key a misspelt one most likely meant (edit distance ≤ 2, or one a prefix of the other). */
function closest(key: string, known: string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let prev = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const next = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = row[j]!;
        row[j] = next;
      }
    }
    return row[b.length]!;
  };
  return known
    .map((k) => ({ k, d: k.startsWith(key) || key.startsWith(k) ? 1 : distance(key, k) }))
    .filter(({ d }) => d <= 2)
    .sort((a, b) => a.d - b.d)[0]?.k;
}

export interface ParsedStudy {
  spec: StudySpec;
  /** The line of a field in the file, for messages about values that parse but do not make sense. */
  lineOf: (fieldPath: (string | number)[]) => number | null;
}

export function parseStudy(file: string, text: string): ParsedStudy {
  const yaml = parseYamlFile(file, text);
  const js = plainData(yaml);
  // With the input in each issue, a wrong value is told from a missing one.
  const parsed = studySpecSchema.safeParse(js, { reportInput: true });
  if (!parsed.success) {
    // A misspelt key also makes the right one "missing": report the misspelling, which is the cause.
    const issue = mostSpecific(parsed.error.issues);
    let fieldPath = pathOf(issue);
    let detail: string;
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0]!;
      const guess = closest(key, knownKeys(fieldPath));
      fieldPath = [...fieldPath, key];
      detail = `unknown key '${key}'${guess ? `; did you mean '${guess}'?` : '; check the spelling'}`;
    } else if (fieldPath[0] === 'sample' && fieldPath[1] === 'distributions' && fieldPath.length === 3) {
      detail = `not a distribution; give a list of values, {uniform|loguniform|normal|randint: [a, b]} or {module: file.mjs, export: name}`;
    } else {
      detail = issueDetail(issue);
    }
    throw new StudyFileError(file, yaml.lineOf(fieldPath), fieldPath, detail);
  }
  return { spec: parsed.data, lineOf: yaml.lineOf };
}
