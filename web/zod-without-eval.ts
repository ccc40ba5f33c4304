/**
 * Imported first by main.tsx: the page's Content-Security-Policy forbids eval, so zod must not even try
 * its compiled validators (it probes with `new Function` when an object schema is built, which a strict
 * policy reports as a violation even though zod catches the refusal). Schemas are built as their
 * modules load, so this runs before any module that builds one.
 */
import { z } from 'zod';

z.config({ jitless: true });
