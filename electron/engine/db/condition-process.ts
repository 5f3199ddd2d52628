// Entry point of the process that reads the cases table with a person's SQL condition: condition-reader.ts starts
// it, sends it one read at a time, and kills it when a condition outlasts its budget. Each read opens the run
// database read-only, so a condition can filter but never change anything.
import { Worker } from 'node:worker_threads';
import type { ConditionReply, ConditionRequest } from './condition-reader';
import { readCases } from './db-query';
import { errorInfo } from '../dispatch';
import { RunDb } from './run-db';
import { parentChannel } from '../run/spawner';

/** Past its budget, the parent kills this process; this much later, the process ends itself. */
const GRACE_MS = 5000;

const channel = parentChannel();
const send = (reply: ConditionReply) => channel.send(reply);

// While a read runs, this thread is inside SQLite and cannot see that its parent is gone (killed itself, say) and
// will never kill it. A watchdog thread of its own ends the process then, instead of leaving it to spin.
const watchdog = new Worker(
  `const { parentPort } = require('node:worker_threads');
  let timer;
  parentPort.on('message', (ms) => {
    clearTimeout(timer);
    if (ms > 0) timer = setTimeout(() => process.kill(process.pid, 'SIGKILL'), ms);
  });`,
  { eval: true },
);
watchdog.unref();

channel.onMessage((raw) => {
  const { id, studyDir, read, budgetMs } = raw as ConditionRequest;
  watchdog.postMessage(budgetMs + GRACE_MS);
  try {
    const db = RunDb.openReadOnly(studyDir);
    try {
      send({ type: 'answer', id, result: readCases(db, read) });
    } finally {
      db?.close();
    }
  } catch (error) {
    send({ type: 'answer', id, error: errorInfo(error) });
  } finally {
    watchdog.postMessage(0);
  }
});
send({ type: 'ready' });
