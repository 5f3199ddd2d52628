// Why a saved plot cannot be drawn, in the builder's words: which control on screen fixes it (the Variable, a
// chip's ×), or Remove. The engine's reasons name the plots.yaml keys; a person opening a saved plot sees controls.

/** The engine's reason `error` for the saved plot `name`, told as what to change on screen. */
export function savedPlotProblem(error: string, name: string): string {
  const remove = `or Remove ${name}`;
  let m = /^variable '([^']+)' is not in /.exec(error);
  if (m) return `The saved plot ${name} draws ${m[1]}, which this file does not have: choose its Variable, ${remove}.`;
  m = /^isel: index (-?\d+) is outside '([^']+)' \(length (\d+)\)/.exec(error);
  if (m) {
    const [, index, dim, size] = m;
    return (
      `The saved plot ${name} fixes ${dim} at index ${index}, past its last (${Number(size) - 1}): ` +
      `remove its chip “${dim} = ${index}” with its ×, ${remove}.`
    );
  }
  m = /^(?:sel|isel|reduce|[a-z]+): '([^']+)' is not a dim of '([^']+)'/.exec(error);
  if (m) {
    return `The saved plot ${name} names ${m[1]}, which ${m[2]} does not have: remove its chip with its ×, ${remove}.`;
  }
  return `The saved plot ${name} cannot be drawn (${error}): change it with the controls on the left, ${remove}.`;
}
