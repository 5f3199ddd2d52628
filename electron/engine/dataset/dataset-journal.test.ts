// The rollback journal on a plain file, written through Node's fs as h5wasm writes: a change that completes, one
// that throws, one cut short after it overwrote bytes (its file and journal as a kill would leave them), and writes
// that fail. test/integration/write-faults.test.ts does the same to real harvests killed by a signal.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { changeInPlace, journalOf, recoverFile } from './dataset-journal';

const BEFORE = Buffer.from('0123456789abcdefghij');

function fileWith(bytes = BEFORE): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-journal-')), 'd.nc');
  fs.writeFileSync(file, bytes);
  return file;
}

/** Positioned writes through a descriptor of `file`, as h5wasm makes them. */
function writeAt(file: string, writes: [position: number, text: string][]): void {
  const fd = fs.openSync(file, 'r+');
  try {
    for (const [position, text] of writes) fs.writeSync(fd, Buffer.from(text), 0, text.length, position);
  } finally {
    fs.closeSync(fd);
  }
}

/** The file and its journal as a kill right after `writes` would leave them: the change never finishes. */
function killedAfter(file: string, writes: [number, string][]): void {
  let left: { bytes: Buffer; journal: Buffer } | null = null;
  changeInPlace(file, () => {
    writeAt(file, writes);
    left = { bytes: fs.readFileSync(file), journal: fs.readFileSync(journalOf(file)) };
  });
  fs.writeFileSync(file, left!.bytes);
  fs.writeFileSync(journalOf(file), left!.journal);
}

/** A pid no process has now: one that has ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

/**
 * Wrap Node's fs for the length of one test, as a failing disk would behave: `write` decides the nth write to a file
 * whose name ends with `suffix` (throw, or write part of it and return the count).
 */
const restore: (() => void)[] = [];
function onWrite(suffix: string, nth: number, write: (args: unknown[], original: typeof fs.writeSync) => number): void {
  const original = { openSync: fs.openSync, writeSync: fs.writeSync };
  const fds = new Set<number>();
  let writes = 0;
  const patched = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
  patched['openSync'] = (...args: unknown[]) => {
    const fd = (original.openSync as (...a: unknown[]) => number)(...args);
    if (String(args[0]).endsWith(suffix)) fds.add(fd);
    else fds.delete(fd);
    return fd;
  };
  patched['writeSync'] = (...args: unknown[]) => {
    if (fds.has(args[0] as number) && ++writes === nth) return write(args, original.writeSync);
    return (original.writeSync as (...a: unknown[]) => number)(...args);
  };
  restore.push(() => Object.assign(fs, original));
}
function failWrite(suffix: string, nth: number, code: string): void {
  onWrite(suffix, nth, () => {
    throw Object.assign(new Error(`${code}: failed, write`), { code, syscall: 'write' });
  });
}
/** What `f` threw (vitest's toThrow passes on a thrown undefined: this does not). */
function thrown(f: () => unknown): Error & { code?: string } {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error('it did not throw');
}
/** Descriptors this process holds open now. */
const openFds = () => fs.readdirSync('/proc/self/fd').length;
afterEach(() => {
  for (const undo of restore.splice(0)) undo();
});

describe('a change in place', () => {
  it('that completes keeps its bytes and leaves no journal', () => {
    const file = fileWith();
    expect(changeInPlace(file, () => (writeAt(file, [[2, 'XY']]), 'result'))).toBe('result');
    expect(fs.readFileSync(file, 'utf8')).toBe('01XY456789abcdefghij');
    expect(fs.existsSync(journalOf(file))).toBe(false);
    expect(journalOf(file)).toBe(`${file}.journal`);
  });

  it('that throws is put back byte for byte at once, and its error passed on', () => {
    const file = fileWith();
    expect(() =>
      changeInPlace(file, () => {
        writeAt(file, [
          [2, 'XY'],
          [18, 'grown past the end'],
        ]);
        throw new Error('HDF5 gave up');
      }),
    ).toThrow('HDF5 gave up');
    expect(fs.readFileSync(file).equals(BEFORE)).toBe(true);
    expect(fs.existsSync(journalOf(file))).toBe(false);
  });

  it('cut short after it overwrote bytes is put back by the next opener, however often a range was written', () => {
    const file = fileWith();
    killedAfter(file, [
      [0, 'AAAA'],
      [2, 'BBBBBB'],
      [19, 'past the old end'],
      [1, 'C'],
    ]);
    expect(fs.readFileSync(file).equals(BEFORE)).toBe(false);
    expect(recoverFile(file)).toBe(true); // its writer (this process) is not changing it any more
    expect(fs.readFileSync(file).equals(BEFORE)).toBe(true);
    expect(fs.existsSync(journalOf(file))).toBe(false);
    expect(recoverFile(file)).toBe(false); // nothing left to do
  });

  it('cut short after a truncation gets its cut bytes back', () => {
    for (const cut of ['ftruncate', 'truncate'] as const) {
      const file = fileWith();
      let left: Buffer | null = null;
      changeInPlace(file, () => {
        if (cut === 'truncate') fs.truncateSync(file, 5);
        else {
          const fd = fs.openSync(file, 'r+');
          fs.ftruncateSync(fd, 5);
          fs.closeSync(fd);
        }
        left = fs.readFileSync(journalOf(file));
      });
      expect(fs.statSync(file).size, cut).toBe(5);
      fs.writeFileSync(journalOf(file), left!);
      expect(recoverFile(file), cut).toBe(true);
      expect(fs.readFileSync(file).equals(BEFORE), cut).toBe(true);
    }
  });

  it("leaves other files' writes and truncations alone", () => {
    const file = fileWith();
    const other = fileWith();
    changeInPlace(file, () => {
      writeAt(other, [[0, 'ZZ']]);
      fs.truncateSync(other, 10);
      const fd = fs.openSync(other, 'r+');
      fs.ftruncateSync(fd, 4);
      fs.closeSync(fd);
      expect(fs.statSync(journalOf(file)).size).toBeLessThan(200); // the header alone
    });
    expect(fs.readFileSync(other, 'utf8')).toBe('ZZ23');
    expect(fs.readFileSync(file).equals(BEFORE)).toBe(true);
  });

  it('refuses a write without a position, which it cannot protect, and puts the file back', () => {
    const file = fileWith();
    let said = '';
    let code: string | undefined;
    expect(() =>
      changeInPlace(file, () => {
        writeAt(file, [[0, 'AB']]);
        const fd = fs.openSync(file, 'r+');
        try {
          fs.writeSync(fd, 'text at the current position');
        } catch (error) {
          said = (error as Error).message;
          code = (error as NodeJS.ErrnoException).code;
          throw error;
        } finally {
          fs.closeSync(fd);
        }
      }),
    ).toThrow(new RegExp(`^cannot write ${file}: the disk reported an input/output error`));
    expect(said).toBe('dataset journal: a write without a position, which it cannot protect');
    // HDF5 gets it as an I/O error: Emscripten's file system turns the code into the errno the C library sees.
    expect(code).toBe('EIO');
    expect(fs.readFileSync(file).equals(BEFORE)).toBe(true);
  });

  it('refuses to start while another change is unfinished', () => {
    const file = fileWith();
    killedAfter(file, [[0, 'AB']]);
    expect(() => changeInPlace(file, () => undefined)).toThrow(
      `${file} has an unfinished change (${journalOf(file)}); it is put back when no process is changing it`,
    );
  });
});

describe('a change whose write fails', () => {
  it('refuses every later write once one failed, and puts the file back even if the change carried on', () => {
    const file = fileWith();
    failWrite('d.nc', 2, 'ENOSPC');
    const later: string[] = [];
    expect(() =>
      changeInPlace(file, () => {
        for (const [at, text] of [
          [0, 'AB'],
          [4, 'CD'],
          [8, 'EF'],
        ] as const) {
          try {
            writeAt(file, [[at, text]]);
          } catch (error) {
            later.push((error as Error).message); // HDF5 goes on writing its caches after a failure
          }
        }
      }),
    ).toThrow(new RegExp(`^cannot write ${file}: the disk is full.*The dataset is as it was before this change$`));
    expect(later).toEqual(['ENOSPC: failed, write', `${file}: not written, an earlier write of this change failed`]);
    expect(fs.readFileSync(file).equals(BEFORE)).toBe(true);
    expect(fs.existsSync(journalOf(file))).toBe(false);
  });

  it('fails the change when its journal cannot be written, before the file is touched', () => {
    for (const nth of [1, 2]) {
      const file = fileWith();
      failWrite('.journal', nth, 'ENOSPC');
      expect(() => changeInPlace(file, () => writeAt(file, [[0, 'AB']])), `write ${nth}`).toThrow(/the disk is full/);
      for (const undo of restore.splice(0)) undo();
      expect(fs.readFileSync(file).equals(BEFORE), `write ${nth}`).toBe(true);
      expect(fs.existsSync(journalOf(file)), `write ${nth}`).toBe(false);
    }
  });

  it('passes on an error that is not the disk as it is', () => {
    const file = fileWith();
    expect(() =>
      changeInPlace(file, () => {
        throw new TypeError('a bug');
      }),
    ).toThrow(TypeError);
    expect(fs.existsSync(journalOf(file))).toBe(false);
  });
});

describe('recovery', () => {
  /** A journal whose header names `writer`, over the file's first two bytes. */
  function journalBy(file: string, writer: { pid: number; host: string }): void {
    killedAfter(file, [[0, 'AB']]);
    const journal = fs.readFileSync(journalOf(file));
    const length = journal.readUInt32LE(8);
    const header = JSON.parse(journal.subarray(12, 12 + length).toString()) as Record<string, unknown>;
    const text = Buffer.from(JSON.stringify({ ...header, ...writer }));
    const lengthField = Buffer.alloc(4);
    lengthField.writeUInt32LE(text.length);
    fs.writeFileSync(
      journalOf(file),
      Buffer.concat([journal.subarray(0, 8), lengthField, text, journal.subarray(12 + length)]),
    );
  }

  it('leaves a change whose writer may still run, unless the caller holds the lock', () => {
    const cases = [
      { pid: process.ppid, host: os.hostname() }, // alive
      { pid: deadPid(), host: 'another-host' }, // perhaps alive, on another machine sharing the folder
    ];
    for (const writer of cases) {
      const file = fileWith();
      journalBy(file, writer);
      expect(recoverFile(file), JSON.stringify(writer)).toBe(false);
      expect(fs.existsSync(journalOf(file))).toBe(true);
      expect(recoverFile(file, { force: true })).toBe(true);
      expect(fs.readFileSync(file).equals(BEFORE)).toBe(true);
    }
    const file = fileWith();
    journalBy(file, { pid: deadPid(), host: os.hostname() });
    expect(recoverFile(file)).toBe(true);
    expect(fs.readFileSync(file).equals(BEFORE)).toBe(true);
  });

  it('drops a journal cut short in its header, or whose file is gone, and a record cut short; reads no other format', () => {
    const file = fileWith();
    for (const bytes of [
      Buffer.from('FURROWJ'),
      Buffer.from('FURROWJ1\x40\0\0\0{"pid":'),
      Buffer.from('NOTOURS!\0\0\0\0'),
    ]) {
      fs.writeFileSync(journalOf(file), bytes);
      expect(recoverFile(file)).toBe(false);
      expect(fs.existsSync(journalOf(file))).toBe(false);
    }
    // A journal in another format (its first bytes differ) is not read as this one, however readable the rest.
    killedAfter(file, [[0, 'AB']]);
    const foreign = fs.readFileSync(journalOf(file));
    foreign.write('FURROWJ2');
    fs.writeFileSync(journalOf(file), foreign);
    expect(recoverFile(file)).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe('AB23456789abcdefghij');
    fs.writeFileSync(file, BEFORE);

    const bad = Buffer.concat([Buffer.from('FURROWJ1'), Buffer.from([5, 0, 0, 0]), Buffer.from('{oops')]);
    fs.writeFileSync(journalOf(file), bad);
    expect(recoverFile(file)).toBe(false);
    expect(fs.existsSync(journalOf(file))).toBe(false);
    expect(fs.readFileSync(file).equals(BEFORE)).toBe(true);

    killedAfter(file, [[0, 'AB']]);
    fs.rmSync(file);
    expect(recoverFile(file, { force: true })).toBe(false);
    expect(fs.existsSync(journalOf(file))).toBe(false);

    // The last record lost its tail: the write it announced never happened, so the one before is put back alone.
    const cut = fileWith();
    killedAfter(cut, [
      [0, 'AB'],
      [10, 'CD'],
    ]);
    const journal = fs.readFileSync(journalOf(cut));
    fs.writeFileSync(journalOf(cut), journal.subarray(0, journal.length - 1));
    expect(recoverFile(cut)).toBe(true);
    expect(fs.readFileSync(cut, 'utf8')).toBe('0123456789CDcdefghij');
  });
});

describe('two processes at once', () => {
  /** Another process (a reader opening the dataset too) removes the journal right after this one read it. */
  function removedAfterRead(): void {
    const original = fs.readFileSync;
    fs.readFileSync = ((...args: Parameters<typeof fs.readFileSync>) => {
      const bytes = original(...args);
      if (String(args[0]).endsWith('.journal')) fs.rmSync(String(args[0]));
      return bytes;
    }) as typeof fs.readFileSync;
    restore.push(() => (fs.readFileSync = original));
  }

  it('put back the same journal without an error, the one that finds it gone included', () => {
    const file = fileWith();
    killedAfter(file, [[0, 'AB']]);
    const journal = fs.readFileSync(journalOf(file));
    removedAfterRead();
    expect(recoverFile(file)).toBe(true); // the other process put back the same bytes
    expect(fs.readFileSync(file).equals(BEFORE)).toBe(true);

    fs.writeFileSync(journalOf(file), 'FURROWJ1\x05\0'); // a header cut short
    expect(recoverFile(file)).toBe(false);
    fs.writeFileSync(journalOf(file), journal);
    fs.rmSync(file); // the file is gone too
    expect(recoverFile(file)).toBe(false);
    expect(fs.existsSync(journalOf(file))).toBe(false);
  });

  it('says the disk is full when a reader dropped the journal whose header could not be written', () => {
    const file = fileWith();
    onWrite('.journal', 1, () => {
      fs.rmSync(journalOf(file)); // a reader found the header cut short and dropped it
      throw Object.assign(new Error('ENOSPC: failed, write'), { code: 'ENOSPC', syscall: 'write' });
    });
    expect(thrown(() => changeInPlace(file, () => writeAt(file, [[0, 'AB']]))).message).toMatch(/the disk is full/);
    for (const undo of restore.splice(0)) undo();
    expect(fs.readFileSync(file).equals(BEFORE)).toBe(true);
  });
});

describe('the journal, at its edges', () => {
  it('puts back a change cut short before it wrote anything, and reads a header cut short as nothing', () => {
    const file = fileWith();
    killedAfter(file, []); // the header alone, no record
    expect(recoverFile(file)).toBe(true);
    expect(fs.readFileSync(file).equals(BEFORE)).toBe(true);
    for (const bytes of [Buffer.from('FURROWJ1\x05\0'), Buffer.from('FURROWJ1\x05\0\0\0{"a"')]) {
      fs.writeFileSync(journalOf(file), bytes);
      expect(recoverFile(file)).toBe(false);
      expect(fs.existsSync(journalOf(file))).toBe(false);
    }
  });

  it('protects the file, not another file written or cut during the change', () => {
    const file = fileWith();
    const other = fileWith(Buffer.from('ZYXWVUTSRQPONMLKJIHG'));
    let left: { bytes: Buffer; journal: Buffer } | null = null;
    changeInPlace(file, () => {
      writeAt(other, [[0, 'zz']]);
      const fd = fs.openSync(other, 'r+');
      fs.ftruncateSync(fd, 12);
      fs.closeSync(fd);
      writeAt(file, [[5, 'Q']]);
      left = { bytes: fs.readFileSync(file), journal: fs.readFileSync(journalOf(file)) };
    });
    fs.writeFileSync(journalOf(file), left!.journal);
    expect(recoverFile(file)).toBe(true);
    expect(fs.readFileSync(file).equals(BEFORE)).toBe(true);
    expect(fs.readFileSync(other, 'utf8')).toBe('zzXWVUTSRQPO');
  });

  it('forgets a descriptor of the file once closed, when another file reopens under its number', () => {
    const file = fileWith();
    const other = fileWith(Buffer.from('ZYXWVUTSRQPONMLKJIHG'));
    thrown(() =>
      changeInPlace(file, () => {
        fs.truncateSync(file, 5); // Node's truncateSync opens the file and closes it again
        writeAt(other, [[0, 'zz']]); // the lowest free descriptor: the number the file's had
        throw new Error('gave up');
      }),
    );
    expect(fs.readFileSync(file).equals(BEFORE)).toBe(true);
    expect(fs.readFileSync(other, 'utf8')).toBe('zzXWVUTSRQPONMLKJIHG');
  });

  it('puts back bytes a truncation cut before a later write past the cut, and a cut to nothing', () => {
    const file = fileWith();
    let journal: Buffer | null = null;
    changeInPlace(file, () => {
      const fd = fs.openSync(file, 'r+');
      fs.ftruncateSync(fd, 5);
      fs.writeSync(fd, Buffer.from('XY'), 0, 2, 10); // its old bytes were saved by the cut: nothing left to read
      fs.writeSync(fd, Buffer.from('AB'), 0, 2, 0);
      fs.ftruncateSync(fd);
      fs.closeSync(fd);
      journal = fs.readFileSync(journalOf(file));
    });
    expect(fs.statSync(file).size).toBe(0);
    fs.writeFileSync(journalOf(file), journal!);
    expect(recoverFile(file)).toBe(true);
    expect(fs.readFileSync(file).equals(BEFORE)).toBe(true);
  });

  it('refuses a write without a position, or of text, at whatever position', () => {
    for (const write of [
      (fd: number) => fs.writeSync(fd, Buffer.from('AB')),
      (fd: number) => fs.writeSync(fd, 'AB', 3),
    ]) {
      const file = fileWith();
      const error = thrown(() =>
        changeInPlace(file, () => {
          const fd = fs.openSync(file, 'r+');
          try {
            write(fd);
          } finally {
            fs.closeSync(fd);
          }
        }),
      );
      expect(error.message).toMatch(/the disk reported an input\/output error/);
      expect(fs.readFileSync(file).equals(BEFORE)).toBe(true);
    }
  });

  it('says a change is busy with the code the app shows, and refuses later writes with EIO', () => {
    const file = fileWith();
    killedAfter(file, [[0, 'AB']]);
    expect(thrown(() => changeInPlace(file, () => undefined)).code).toBe('busy');
    recoverFile(file);
    failWrite('d.nc', 1, 'ENOSPC');
    const codes: (string | undefined)[] = [];
    thrown(() =>
      changeInPlace(file, () => {
        for (const at of [0, 4]) {
          try {
            writeAt(file, [[at, 'XY']]);
          } catch (error) {
            codes.push((error as { code?: string }).code);
          }
        }
      }),
    );
    expect(codes).toEqual(['ENOSPC', 'EIO']);
  });

  it('goes on where a journal write stopped short, and fails on one that writes nothing', () => {
    const file = fileWith();
    onWrite('.journal', 2, (args, write) => {
      const [fd, buffer, offset, length] = args as [number, Buffer, number, number];
      return write(fd, buffer, offset, Math.floor(length / 2)); // half a record, then the rest
    });
    killedAfter(file, [[0, 'AB']]);
    expect(recoverFile(file)).toBe(true);
    expect(fs.readFileSync(file).equals(BEFORE)).toBe(true);
    for (const undo of restore.splice(0)) undo();
    onWrite('.journal', 2, () => 0);
    const error = thrown(() => changeInPlace(file, () => writeAt(file, [[0, 'AB']])));
    expect(error.message).toMatch(/the disk reported an input\/output error/);
    expect(fs.readFileSync(file).equals(BEFORE)).toBe(true);
  });

  it('puts the file back when its last flush fails, and keeps the journal when even that fails', () => {
    const file = fileWith();
    const fsync = fs.fsyncSync;
    let syncs = 0;
    fs.fsyncSync = (fd) => {
      if (++syncs === 2) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
      fsync(fd);
    };
    restore.push(() => (fs.fsyncSync = fsync));
    const flush = thrown(() => changeInPlace(file, () => writeAt(file, [[0, 'AB']])));
    expect(flush.message).toBe(
      `cannot write ${path.resolve(file)}: the disk reported an input/output error${flush.message.match(/ \(.* free there\)/)?.[0] ?? ''}. The dataset is as it was before this change`,
    );
    expect(fs.readFileSync(file).equals(BEFORE)).toBe(true);
    expect(fs.existsSync(journalOf(file))).toBe(false);
    for (const undo of restore.splice(0)) undo();

    // A write fails, and putting the file back fails too: the journal stays for the next opener.
    failWrite('d.nc', 1, 'ENOSPC');
    const open = fs.openSync;
    let recovering = false;
    restore.push(() => (fs.openSync = open));
    fs.openSync = ((...args: Parameters<typeof fs.openSync>) => {
      if (recovering && args[1] === 'r+') throw Object.assign(new Error('EIO: i/o error, open'), { code: 'EIO' });
      return open(...args);
    }) as typeof fs.openSync;
    const both = thrown(() =>
      changeInPlace(file, () => {
        try {
          writeAt(file, [[0, 'AB']]);
        } finally {
          recovering = true;
        }
      }),
    );
    expect(both.message).toContain(
      `The dataset is put back as it was the next time it is opened (${journalOf(file)} keeps what it needs)`,
    );
    for (const undo of restore.splice(0).reverse()) undo();
    expect(fs.existsSync(journalOf(file))).toBe(true);
    expect(recoverFile(file)).toBe(true);
    expect(fs.readFileSync(file).equals(BEFORE)).toBe(true);
  });

  it('leaves no descriptor open, whatever the change did', () => {
    const before = openFds();
    const file = fileWith();
    changeInPlace(file, () => writeAt(file, [[0, 'AB']]));
    thrown(() =>
      changeInPlace(file, () => {
        writeAt(file, [[0, 'CD']]);
        throw new Error('gave up');
      }),
    );
    fs.truncateSync(file, 20);
    changeInPlace(file, () => fs.truncateSync(file, 3));
    killedAfter(file, [[0, 'EF']]);
    recoverFile(file);
    expect(openFds()).toBe(before);
  });
});
