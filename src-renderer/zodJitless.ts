import { z } from 'zod';

// Imported first by main.tsx, before any schema is built: zod decides at schema construction
// whether to compile parsers with `new Function`, and probing for it under our CSP (no
// 'unsafe-eval') is reported as a violation. The interpreted parsers validate the same.
z.config({ jitless: true });
