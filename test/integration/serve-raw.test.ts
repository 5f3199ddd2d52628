// `furrow serve` under bytes no browser sends, written to its port as they are: a handshake whose target is no URL,
// a refused handshake the client resets, frames that break the WebSocket protocol. Each gets an error response or a
// closed socket; serve goes on answering, and the run it was carrying goes on to its end.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStudy } from '../helpers/furrow';
import type { Served } from '../helpers/furrow';
import { MALFORMED, closeCode, exchange, gatedStudy, handshake, request } from '../helpers/raw-ws';

describe('furrow serve under raw bytes, while a run goes on', () => {
  let dir: string;
  let served: Served;
  let port: number;
  // The model's cases wait for this file, so the run is still going however long the bytes take.
  const gate = () => path.join(dir, 'gate');

  beforeAll(async () => {
    dir = await gatedStudy();
    served = await serveStudy(dir);
    port = Number(new URL(served.origin).port);
  });

  afterAll(async () => {
    if (dir) fs.writeFileSync(gate(), ''); // lets a model worker left behind by a dead serve finish
    await served?.stop();
  });

  it('has a run going, started through serve', async () => {
    await request(served, 'run.start', { workers: 1 });
    await expect.poll(() => request(served, 'run.history')).toMatchObject([{ status: 'running' }]);
  });

  it('answers a handshake whose target is no URL with 400, and goes on', async () => {
    const reply = await exchange(port, handshake(port, 'http://%%/'), null);
    expect(reply.toString()).toMatch(/^HTTP\/1\.1 400 /);
    expect(await request(served, 'study.current')).toMatchObject({ name: 'gated' });
  });

  it('goes on when a client resets a refused handshake', async () => {
    const reply = await exchange(port, handshake(port, '/api', `Origin: ${served.origin}\r\n`), 'reset');
    expect(reply.toString()).toMatch(/^HTTP\/1\.1 403 /);
    expect(await request(served, 'study.current')).toMatchObject({ name: 'gated' });
  });

  it('closes a connection that sends a malformed frame, with the close code that says why, and goes on', async () => {
    const opening = handshake(port, `/api?token=${served.token}`, `Origin: ${served.origin}\r\n`);
    for (const { what, frame, code } of MALFORMED) {
      expect(closeCode(await exchange(port, opening, frame)), what).toBe(code);
      expect(await request(served, 'study.current'), what).toMatchObject({ name: 'gated' });
    }
  });

  it('keeps the run going to its end', async () => {
    expect(served.alive()).toBe(true);
    expect(await request(served, 'run.history')).toMatchObject([{ status: 'running' }]);
    fs.writeFileSync(gate(), '');
    await expect
      .poll(() => request(served, 'run.history'), { timeout: 30_000 })
      .toMatchObject([{ status: 'done', done: 4, failed: 0 }]);
  });
});
