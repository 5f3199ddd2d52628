// The YAML of a study's files (study.yaml, paramspace files, plots.yaml, YAML cases files), read one way. As PyYAML
// reads them: an alias stands for its anchor's value (a !pdim's too) and a merge key (`<<: *base`) merges mappings.
// A file that would exhaust a reader (nesting thousands deep, aliases that multiply without bound) is refused with
// the file and line, as any other mistake in it, never as a crash.
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, YAMLMap } from 'yaml';
import type { Document, Node, Tags } from 'yaml';
import { COUPLED_PDIM, PDIM } from '../../../shared/paramspace';
import { StudyFileError } from '../errors';

/** More expansions of aliases than this are refused: a "billion laughs" would otherwise grow without bound. */
const MAX_ALIAS_COUNT = 1000;

type ToJSONArgs = Parameters<YAMLMap['toJSON']>;

/** A paramspace mapping. As data, a !pdim or !coupled-pdim one is {'!pdim': {...}}, which shared/paramspace.ts reads. */
class ParamSpaceMap extends YAMLMap {
  override toJSON(arg?: ToJSONArgs[0], ctx?: ToJSONArgs[1], Type?: ToJSONArgs[2]): ReturnType<YAMLMap['toJSON']> {
    // A merge key asks for the mapping's own keys (Type is Map then).
    if (Type || (this.tag !== PDIM && this.tag !== COUPLED_PDIM)) return super.toJSON(arg, ctx, Type);
    const tagged: Record<string, unknown> = {};
    // An alias of an anchored !pdim resolves to what onCreate is handed: the tagged object, not its inner mapping.
    ctx?.onCreate?.(tagged);
    tagged[this.tag] = super.toJSON(arg, ctx);
    return tagged as unknown as ReturnType<YAMLMap['toJSON']>;
  }
}

/**
 * paramspace's tags (!pspace, !pdim, !coupled-pdim): mappings that remember their tag. The parser makes the mapping
 * of the nodeClass and gives it the tag; a tag on a list or a scalar is only warned about and the value read as it is.
 */
export const PARAMSPACE_TAGS: Tags = ['!pspace', PDIM, COUPLED_PDIM].map((tag) => ({
  tag,
  collection: 'map' as const,
  nodeClass: ParamSpaceMap,
}));

export interface YamlFile {
  file: string;
  doc: Document.Parsed;
  /** The line of a field, or of as much of its path as exists (a missing key points at its mapping). */
  lineOf(fieldPath: (string | number)[]): number | null;
}

/** Parse a YAML file of a study. A syntax error, or nesting too deep to read, throws a StudyFileError with its line. */
export function parseYamlFile(file: string, text: string): YamlFile {
  const counter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      lineCounter: counter,
      prettyErrors: false,
      uniqueKeys: true,
      merge: true,
      customTags: PARAMSPACE_TAGS,
    });
  } catch (error) {
    // The parser overflows the stack on block nesting some thousands deep, before it can say where.
    if (error instanceof RangeError) throw tooDeep(file, deepestLine(text));
    throw error;
  }
  const first = doc.errors[0];
  if (first) {
    const line = counter.linePos(first.pos[0]).line;
    // What the composer reports when its stack ran out: nesting too deep, not a syntax error.
    if (first.code === 'RESOURCE_EXHAUSTION') throw tooDeep(file, line);
    throw new StudyFileError(file, line, null, `YAML does not parse: ${first.message.split('\n')[0]}`);
  }
  return { file, doc, lineOf: (fieldPath) => lineOf(doc, counter, fieldPath) };
}

function tooDeep(file: string, line: number): StudyFileError {
  return new StudyFileError(
    file,
    line,
    null,
    'YAML nests too deeply here to be read (hundreds of levels or more); a study file needs a few',
  );
}

/** The line indented deepest (`- ` entries count as indentation): roughly where a reader lost its way. */
function deepestLine(text: string): number {
  let deepest = -1;
  let at = 1;
  text.split('\n').forEach((line, i) => {
    const indent = /^(?:-?[ \t])*/.exec(line)![0].length;
    if (indent > deepest) {
      deepest = indent;
      at = i + 1;
    }
  });
  return at;
}

/** The file's content as plain data: aliases resolved, merge keys merged; an alias bomb is refused where it is. */
export function plainData(yaml: YamlFile): unknown {
  let data: unknown;
  try {
    data = yaml.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const { fieldPath } = failingPart(yaml.doc, yaml.doc.contents, []);
    const detail = /alias count/i.test(error.message)
      ? `aliases here expand to more than ${MAX_ALIAS_COUNT} copies of their anchors; write the values out, or alias less`
      : `YAML does not parse: ${error.message.split('\n')[0]}`;
    throw new StudyFileError(yaml.file, yaml.lineOf(fieldPath), fieldPath, detail);
  }
  // JavaScript objects take `__proto__` for their prototype, not a key: checks that copy a mapping drop it unseen.
  const proto = protoKey(data, []);
  if (proto) {
    throw new StudyFileError(yaml.file, yaml.lineOf(proto), proto, "'__proto__' cannot be a name; rename it");
  }
  return data;
}

/** The path of the first `__proto__` key in `data`, if any. */
function protoKey(data: unknown, at: (string | number)[]): (string | number)[] | null {
  if (Array.isArray(data)) {
    for (const [i, item] of data.entries()) {
      const found = protoKey(item, [...at, i]);
      if (found) return found;
    }
  } else if (data !== null && typeof data === 'object') {
    for (const key of Object.keys(data)) {
      if (key === '__proto__') return [...at, key];
      const found = protoKey((data as Record<string, unknown>)[key], [...at, key]);
      if (found) return found;
    }
  }
  return null;
}

/** The smallest part of the document that fails to become data on its own: where to look. */
function failingPart(
  doc: Document.Parsed,
  node: unknown,
  fieldPath: (string | number)[],
): { fieldPath: (string | number)[] } {
  const children: [string | number, unknown][] = isMap(node)
    ? node.items.map((pair) => [isScalar(pair.key) ? String(pair.key.value) : String(pair.key), pair.value])
    : isSeq(node)
      ? node.items.map((item, i) => [i, item])
      : [];
  for (const [key, child] of children) {
    if (!isNode(child)) continue;
    try {
      (child as Node).toJS(doc, { maxAliasCount: MAX_ALIAS_COUNT });
    } catch {
      return failingPart(doc, child, [...fieldPath, key]);
    }
  }
  return { fieldPath };
}

function lineOf(doc: Document, counter: LineCounter, fieldPath: (string | number)[]): number | null {
  // Walk down as far as the path exists: a missing key points at its parent mapping.
  for (let n = fieldPath.length; n >= 0; n--) {
    const node = doc.getIn(fieldPath.slice(0, n), true);
    if (!isNode(node) || !node.range) continue;
    // Point at the key of a field found whole in a mapping, which is what a person looks for.
    const parent = n === fieldPath.length ? doc.getIn(fieldPath.slice(0, n - 1), true) : null;
    const pair = isMap(parent)
      ? parent.items.find((p) => isScalar(p.key) && p.key.value === fieldPath[n - 1])
      : undefined;
    return counter.linePos((pair ? (pair.key as Node) : node).range![0]).line;
  }
  return null;
}
