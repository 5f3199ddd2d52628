import { describe, expect, it } from 'vitest';
import { cleanModelError, describeAt } from './model-error';

const study = '/tmp/wsx/s';

describe('a model error as its author reads it', () => {
  it("keeps the author's frames, relative to the study, and names the first", () => {
    const stack = [
      "TypeError: Cannot read properties of undefined (reading 'bar')",
      `    at model (file://${study}/model.mjs:2:28)`,
      '    at file:///work/furrow/.vite/build/worker.mjs:72:26',
      '    at process.<anonymous> (file:///work/furrow/.vite/build/worker.mjs:60:9)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    ].join('\n');
    const clean = cleanModelError(stack, study);
    expect(clean.text).toBe(
      "TypeError: Cannot read properties of undefined (reading 'bar')\n    at model (model.mjs:2:28)",
    );
    expect(clean.at).toEqual({ file: 'model.mjs', line: 2, column: 28, source: null });
    expect(describeAt(clean.at!)).toBe('model.mjs, line 2, column 28');
  });

  it("drops Node's loader frames from a syntax error, which names no line of the author's", () => {
    const stack = [
      `${study}/model.mjs failed to load: SyntaxError: Unexpected token ';'`,
      '    at compileSourceTextModule (node:internal/modules/esm/utils:346:16)',
      '    at async ModuleJob._link (node:internal/modules/esm/module_job:148:19)',
    ].join('\n');
    expect(cleanModelError(stack, study)).toEqual({
      text: "model.mjs failed to load: SyntaxError: Unexpected token ';'",
      at: null,
    });
  });

  it("keeps a command's stderr as it is, and drops Furrow's frames without knowing the study", () => {
    const text =
      'exited with code 4\nmatrix is singular at x = 2\n    at file:///opt/furrow/.vite/build/worker.mjs:1:1';
    expect(cleanModelError(text, null).text).toBe('exited with code 4\nmatrix is singular at x = 2');
  });
});
