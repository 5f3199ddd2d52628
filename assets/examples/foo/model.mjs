// xyzpy's `foo`: returns its two outputs in the order study.yaml declares them.
export default function foo({ a, b, c }) {
  return [a + b + c, a * b * c];
}
