// The model of a new study: a function of one case's parameters that returns its outputs by name.
// Replace it with yours (or make the study a command model in study.yaml).
export default function model(params) {
  const numbers = Object.values(params).filter((v) => typeof v === 'number');
  return { y: numbers.reduce((sum, v) => sum + v, 0) };
}
