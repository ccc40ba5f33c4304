import { render } from 'preact';
import { z } from 'zod';
import { OptionsPage } from './OptionsPage.tsx';

// Extension CSP forbids eval; tell zod not to even try its compiled validators.
z.config({ jitless: true });

const root = document.getElementById('app');
if (root) render(<OptionsPage />, root);
