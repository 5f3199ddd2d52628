// Ishigami & Homma (1990): y = sin x1 + a sin² x2 + b x3⁴ sin x1, with a = 7 and b = 0.1.
const A = 7;
const B = 0.1;
export default function ishigami({ x1, x2, x3 }) {
  return Math.sin(x1) + A * Math.sin(x2) ** 2 + B * x3 ** 4 * Math.sin(x1);
}
