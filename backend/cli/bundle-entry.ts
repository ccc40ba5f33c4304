/** The bundled CLI's whole program (backend/deploy/bundle-cli.ts): `switchyard` without tsx, for Node 20+. */
import { main } from './main.ts';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
