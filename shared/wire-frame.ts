// How a message of the engine API travels over the WebSocket of `furrow serve`. Most are JSON text. A message
// that holds Float64Arrays or Float32Arrays (a plot's numbers, shared/plot-spec.ts) goes as one binary frame, so the
// numbers cross as their own bytes, not as text: no base64 to make or undo, a quarter fewer bytes, and the page
// reads them in place. Electron's IPC needs none of this: it carries typed arrays as they are.
//
// A binary frame: "FRW1", the length of the JSON part (uint32, little-endian), the JSON part (UTF-8), then each
// array's bytes at an offset that is a multiple of 8. In the JSON part each array is {"$f64": [offset, length]}
// (or "$f32").

// Both Node and the browser have these; shared/ is compiled with neither's types.
declare const TextEncoder: new () => { encode(text: string): Uint8Array };
declare const TextDecoder: new () => { decode(bytes: Uint8Array): string };

const MAGIC = 0x31575246; // "FRW1" read as a little-endian uint32
const HEADER = 8;
const align8 = (n: number) => Math.ceil(n / 8) * 8;

/** A message as one text frame, or as a binary frame when it holds Float64Arrays. */
export function encodeFrame(message: unknown): string | Uint8Array {
  const arrays: (Float64Array | Float32Array)[] = [];
  const placed = new Map<Float64Array | Float32Array, number>(); // an array held twice (a coordinate column) goes once
  let at = 0; // offset of the next array, from the start of the arrays' part
  const text = JSON.stringify(message, (_key, value: unknown) => {
    const f32 = value instanceof Float32Array;
    if (!(value instanceof Float64Array) && !f32) return value;
    let offset = placed.get(value);
    if (offset === undefined) {
      placed.set(value, (offset = at));
      arrays.push(value);
      at += align8(value.byteLength);
    }
    return f32 ? { $f32: [offset, value.length] } : { $f64: [offset, value.length] };
  });
  if (arrays.length === 0) return text;
  const json = new TextEncoder().encode(text);
  const start = align8(HEADER + json.byteLength);
  const frame = new Uint8Array(start + at);
  const view = new DataView(frame.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, json.byteLength, true);
  frame.set(json, HEADER);
  let offset = start;
  for (const a of arrays) {
    frame.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), offset);
    offset += align8(a.byteLength);
  }
  return frame;
}

/**
 * The message in a text or binary frame; its Float64Arrays are views of the frame's own bytes. An array the message
 * held twice comes back as one array, as it went: a plot's lines that share their x share one array of x.
 */
export function decodeFrame(data: string | ArrayBuffer | Uint8Array): unknown {
  if (typeof data === 'string') return JSON.parse(data);
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < HEADER || view.getUint32(0, true) !== MAGIC) throw new Error('not a Furrow frame');
  const length = view.getUint32(4, true);
  const start = align8(HEADER + length);
  if (start > bytes.byteLength) throw new Error('a Furrow frame cut short');
  const text = new TextDecoder().decode(bytes.subarray(HEADER, HEADER + length));
  // The arrays must start at a multiple of 8 in their buffer to be viewed in place; else they are copied.
  const aligned = (bytes.byteOffset + start) % 8 === 0;
  const seen = new Map<string, Float64Array | Float32Array>();
  return JSON.parse(text, (_key, value: unknown) => {
    const placeholder = value as { $f64?: unknown; $f32?: unknown } | null;
    const ref = placeholder?.$f64 ?? placeholder?.$f32;
    if (!Array.isArray(ref) || ref.length !== 2) return value;
    const Type = placeholder?.$f64 ? Float64Array : Float32Array;
    const [offset, n] = ref as [number, number];
    const key = `${Type.name} ${offset} ${n}`;
    const known = seen.get(key);
    if (known) return known;
    const end = start + offset + n * Type.BYTES_PER_ELEMENT;
    if (end > bytes.byteLength) throw new Error('a Furrow frame cut short');
    const array = aligned
      ? new Type(bytes.buffer as ArrayBuffer, bytes.byteOffset + start + offset, n)
      : new Type(bytes.slice(start + offset, end).buffer);
    seen.set(key, array);
    return array;
  });
}
