// A bootstrap thread (bootstrap.ts): the share of the resamples it is given, then it ends.
import { workerData } from 'node:worker_threads';
import type { BootstrapShare } from './bootstrap';
import { runShare } from './bootstrap';

runShare(workerData as BootstrapShare);
