// The tree.*, dataset.* and multiverse.* requests: the Data tab's tree, any dataset's description and slices, and
// the multiverse of a path in every case folder, combined into a file the tree and the plots read.
import type { EngineState, Handlers, MethodsOf } from '../engine-state';
import { multiverseFile } from '../dataset/multiverse';
import { describeDataset, readSlice } from '../dataset/netcdf-read';
import { treeChildren, treeNode, treePreview, treeRoots, treeSlice } from './data-tree';

type TreeMethod = MethodsOf<'tree'> | MethodsOf<'dataset'> | MethodsOf<'multiverse'>;

export function treeRequests(engine: EngineState): Handlers<TreeMethod> {
  const study = () => engine.study();
  const datasetFile = (file: string | undefined) => file ?? engine.study().datasetPath;
  return {
    'tree.roots': async ({ files }) => treeRoots(engine.studyDir === null ? null : study, files ?? []),
    'tree.children': async ({ node, offset, limit }) => treeChildren(study, node, offset ?? 0, limit ?? 200),
    'tree.node': async ({ node }) => treeNode(study, node),
    'tree.preview': async (params) => treePreview(study, params),
    'tree.slice': async (params) => treeSlice(study, params),
    'dataset.describe': async ({ file }) => describeDataset(datasetFile(file), { decode: true }),
    'dataset.read': async ({ file, variable, select }) => readSlice(datasetFile(file), variable, select ?? {}, true),
    'multiverse.combine': async ({ path: within }) => {
      const { file, info } = await multiverseFile(engine.study(), within);
      return { file, info };
    },
  };
}
