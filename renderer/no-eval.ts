// The app's Content-Security-Policy forbids eval (shared/security.ts). zod would try `new Function` once to see
// whether it may compile its parsers; the attempt fails quietly, but the browser reports it as a policy violation.
// Told to run without compiling, it never tries. Imported first, before anything parses.
import { z } from 'zod';

z.config({ jitless: true });
