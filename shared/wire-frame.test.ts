import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame } from './wire-frame';

describe('a wire frame', () => {
  it('is JSON text when the message holds no numbers arrays', () => {
    const message = { kind: 'result', id: 3, result: { a: [1, 'x', null] } };
    const frame = encodeFrame(message);
    expect(typeof frame).toBe('string');
    expect(decodeFrame(frame)).toEqual(message);
  });

  it('carries Float64Arrays as their own bytes, NaN and infinities kept, read back in place', () => {
    const y = Float64Array.from([1.5, NaN, -Infinity, 2 ** -1074, 1e308]);
    const message = { kind: 'result', id: 1, result: { panels: [{ traces: [{ x: ['a', 'b'], y: { f64: y } }] }] } };
    const frame = encodeFrame(message);
    expect(frame).toBeInstanceOf(Uint8Array);
    // The numbers cost their 8 bytes each, not base64's 10.7.
    expect((frame as Uint8Array).byteLength).toBeLessThan(JSON.stringify(message).length + 5 * 8 + 16);
    const back = decodeFrame((frame as Uint8Array).slice().buffer) as typeof message;
    const column = back.result.panels[0]!.traces[0]!.y.f64;
    expect(column).toBeInstanceOf(Float64Array);
    expect(Array.from(column)).toEqual(Array.from(y));
    expect(back.result.panels[0]!.traces[0]!.x).toEqual(['a', 'b']);
  });

  it('carries Float32Arrays too, each array starting at a multiple of 8', () => {
    const z = Float32Array.from([0.5, NaN, 3]); // 12 bytes: the next array starts 4 bytes later
    const y = Float64Array.from([1, 2]);
    const back = decodeFrame(encodeFrame({ z: { f32: z }, y: { f64: y } }) as Uint8Array) as {
      z: { f32: Float32Array };
      y: { f64: Float64Array };
    };
    expect(back.z.f32).toBeInstanceOf(Float32Array);
    expect(Array.from(back.z.f32)).toEqual([0.5, NaN, 3]);
    expect(Array.from(back.y.f64)).toEqual([1, 2]);
  });

  it('sends an array held twice once, and both places read it', () => {
    const x = Float64Array.from({ length: 100 }, (_, i) => i);
    const frame = encodeFrame({ a: { x }, b: { x }, c: { x: Float64Array.from(x) } }) as Uint8Array;
    expect(frame.byteLength).toBeLessThan(2 * 100 * 8 + 200);
    const back = decodeFrame(frame) as Record<string, { x: Float64Array }>;
    for (const k of ['a', 'b', 'c']) expect(Array.from(back[k]!.x)).toEqual(Array.from(x));
    // One array on both sides: the lines of a panel that share their x are mapped to the page once.
    expect(back['b']!.x).toBe(back['a']!.x);
    expect(back['c']!.x).not.toBe(back['a']!.x);
  });

  it('reads a frame that starts at an odd place in its buffer (Node pools small buffers)', () => {
    const frame = encodeFrame({ a: new Float64Array([7, 8]), b: new Float64Array(0), c: 'é' }) as Uint8Array;
    const shifted = new Uint8Array(frame.byteLength + 3);
    shifted.set(frame, 3);
    expect(decodeFrame(shifted.subarray(3))).toEqual({ a: new Float64Array([7, 8]), b: new Float64Array(0), c: 'é' });
  });

  it('refuses bytes that are not a frame, or a frame cut short, with a message', () => {
    expect(() => decodeFrame(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]))).toThrow(/not a Furrow frame/);
    const frame = encodeFrame({ a: new Float64Array([1, 2, 3]) }) as Uint8Array;
    expect(() => decodeFrame(frame.subarray(0, frame.byteLength - 8))).toThrow(/cut short/);
  });
});
