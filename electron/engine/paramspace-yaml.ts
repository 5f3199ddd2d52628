// Reading paramspace's YAML tags (!pspace, !pdim, !coupled-pdim), inline in study.yaml or from a file of their
// own (a bare !pspace, or a dantro run config with a parameter_space key). Tagged mappings become
// {'!pdim': {...}} objects, which shared/paramspace.ts turns into a parameter space.
import fs from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, YAMLMap } from 'yaml';
import type { Node, Tags } from 'yaml';
import { COUPLED_PDIM, PDIM } from '../../shared/paramspace';
import { FurrowError } from './errors';

/** The tags parse as plain mappings that remember their tag. */
export const PARAMSPACE_TAGS: Tags = ['!pspace', PDIM, COUPLED_PDIM].map((tag) => ({
  tag,
  collection: 'map' as const,
  nodeClass: YAMLMap,
  resolve(map: unknown) {
    const node = new YAMLMap();
    node.items = isMap(map) ? map.items : [];
    node.tag = tag;
    return node;
  },
}));

/** A YAML node as plain data, with !pdim and !coupled-pdim mappings marked. */
export function taggedTree(node: unknown): unknown {
  if (isMap(node)) {
    const entries = node.items.map((pair) => [
      String(isScalar(pair.key) ? pair.key.value : pair.key),
      taggedTree(pair.value),
    ]);
    const plain = Object.fromEntries(entries) as Record<string, unknown>;
    return node.tag === PDIM || node.tag === COUPLED_PDIM ? { [node.tag]: plain } : plain;
  }
  if (isSeq(node)) return node.items.map(taggedTree);
  if (isScalar(node)) return node.value;
  return (node as Node | null)?.toJSON() ?? null;
}

/** A parameter space kept in a file of its own. */
export function loadParamSpaceFile(file: string): unknown {
  if (!fs.existsSync(file)) throw new FurrowError('bad-input', `${file}: no such parameter space file`);
  const counter = new LineCounter();
  const doc = parseDocument(fs.readFileSync(file, 'utf8'), { customTags: PARAMSPACE_TAGS, lineCounter: counter });
  const first = doc.errors[0];
  if (first) {
    throw new FurrowError(
      'bad-input',
      `${file}:${counter.linePos(first.pos[0]).line}: YAML does not parse: ${first.message.split('\n')[0]}`,
    );
  }
  const root = doc.contents;
  if (isMap(root) && root.tag !== '!pspace' && root.has('parameter_space'))
    return taggedTree(root.get('parameter_space', true));
  return taggedTree(root);
}
