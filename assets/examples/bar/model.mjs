// xyzpy's `bar`, made deterministic so its results can be checked: returns its outputs by name.
const x = [10, 20, 30];

export default function bar({ i, j, k, t }) {
  return {
    A: i + j + k,
    B: x.map((xv) => i * xv + j),
    C: x.map((xv) => t.map((tv) => Math.sin(k * tv) * xv)),
  };
}
