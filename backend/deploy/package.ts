/**
 * `npm run package [-- --ldap-ca FILE] [--out DIR]`: everything a deployment uploads, in
 * dist/deploy/ (or DIR):
 *   lambda/<handler>-<sha256>.zip   one per Lambda: index.mjs at the zip's root, as Lambda loads it
 *                                   (the API's also the web page, built into web/ beside it; the API's
 *                                   and the access report's ldap-ca.pem with --ldap-ca)
 *   management.yaml                 the management template, its code keys naming those zips, so a
 *                                   new build is a new key and CloudFormation updates the functions
 *   member.yaml                     the member template (for a StackSet)
 *   policy-ci.yaml                  the roles of the policy-in-git CI recipe (docs/policy-in-git.md)
 * Zips are built the same for the same code (fixed timestamps), so an unchanged Lambda keeps its key.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { zipSync, type Zippable } from 'fflate';
import { buildWebPage } from '../../scripts/build/web-page.ts';
import { holdsPemCertificate } from '../auth/ldap/ca-bundle.ts';
import { bundleHandler, handlerNames, REPOSITORY_ROOT } from './bundle.ts';
import { loadTemplate, parseTemplate, requiredParameters, TEMPLATE_NAMES, templatePath } from './template.ts';
import { errorText } from '../../shared/error-text.ts';

/** Zip entries: readable by everyone (Lambda runs the code as another user), a fixed timestamp. */
const ENTRY = { os: 3, attrs: 0o644 << 16, mtime: new Date('2000-01-01T00:00:00Z'), level: 9 } as const;

/** Where the API's zip carries a company CA for LDAPS; the template's LdapCaCertificate=packaged points here. */
export const PACKAGED_LDAP_CA = 'ldap-ca.pem';
/** Where the API's zip carries the web page: beside index.mjs, where backend/handlers/api.ts serves it from. */
export const PACKAGED_WEB_PAGE = 'web';

export interface PackageOptions {
  outDir?: string;
  /** A PEM bundle to ship in the API's zip (the directory's own CA). */
  ldapCaFile?: string;
}

export interface PackagedLambda {
  name: string;
  /** Relative to the output folder: "lambda/api-0123abcd.zip". */
  zipPath: string;
  /** The key the packaged template gives it, after CodePrefix. */
  key: string;
  codeBytes: number;
  zipBytes: number;
}

export interface PackageResult {
  outDir: string;
  lambdas: PackagedLambda[];
  templates: string[];
}

export async function packageDeployment(options: PackageOptions = {}): Promise<PackageResult> {
  const outDir = resolve(options.outDir ?? `${REPOSITORY_ROOT}dist/deploy`);
  const caPem = options.ldapCaFile ? await readCaBundle(options.ldapCaFile) : undefined;
  await rm(outDir, { recursive: true, force: true });
  await mkdir(`${outDir}/lambda`, { recursive: true });

  const webPage = await builtWebPage();
  const lambdas: PackagedLambda[] = [];
  for (const name of handlerNames()) {
    const bundle = await bundleHandler(name);
    const files: Zippable = { 'index.mjs': [bundle.code, ENTRY] };
    // Both Lambdas that reach the directory over LDAPS carry the CA bundle.
    if ((name === 'api' || name === 'access-report') && caPem) files[PACKAGED_LDAP_CA] = [caPem, ENTRY];
    if (name === 'api') for (const [path, content] of webPage) files[`${PACKAGED_WEB_PAGE}/${path}`] = [content, ENTRY];
    const zip = zipSync(files);
    const key = `${name}-${createHash('sha256').update(zip).digest('hex').slice(0, 16)}.zip`;
    await writeFile(`${outDir}/lambda/${key}`, zip);
    lambdas.push({ name, zipPath: `lambda/${key}`, key, codeBytes: bundle.code.byteLength, zipBytes: zip.byteLength });
  }

  const templates: string[] = [];
  for (const name of TEMPLATE_NAMES) {
    let text = await readFile(templatePath(name), 'utf8');
    for (const lambda of lambdas) {
      const placeholder = `\${CodePrefix}${lambda.name}.zip`;
      const count = text.split(placeholder).length - 1;
      if (name === 'management' && count !== 1) throw new Error(`${templatePath(name)} names ${placeholder} ${count} times, not once`);
      text = text.replaceAll(placeholder, `\${CodePrefix}${lambda.key}`);
    }
    parseTemplate(text); // still a template
    await writeFile(`${outDir}/${name}.yaml`, text);
    templates.push(`${name}.yaml`);
  }
  return { outDir, lambdas, templates };
}

/** The web page's files, built afresh (vite), by their path in the build. */
async function builtWebPage(): Promise<Map<string, Uint8Array>> {
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-web-page-'));
  try {
    await buildWebPage(dir);
    const files = new Map<string, Uint8Array>();
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      files.set(relative(dir, path).split('\\').join('/'), await readFile(path));
    }
    return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function readCaBundle(file: string): Promise<Uint8Array> {
  const pem = await readFile(file).catch((error: unknown) => {
    throw new Error(`--ldap-ca ${file}: cannot read it (${errorText(error)})`);
  });
  if (!holdsPemCertificate(pem.toString('utf8'))) throw new Error(`--ldap-ca ${file}: not a PEM bundle of certificates`);
  return pem;
}

function parseArgs(argv: string[]): PackageOptions {
  const options: PackageOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === '--ldap-ca' && value) options.ldapCaFile = argv[++i];
    else if (argv[i] === '--out' && value) options.outDir = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}; usage: npm run package [-- --ldap-ca FILE] [--out DIR]`);
  }
  return options;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`.padStart(9);

async function main(): Promise<void> {
  const result = await packageDeployment(parseArgs(process.argv.slice(2)));
  const out = result.outDir.startsWith(REPOSITORY_ROOT) ? result.outDir.slice(REPOSITORY_ROOT.length) : result.outDir;
  console.log(`Packaged into ${out}/ (Lambda runtime nodejs22.x, arm64):`);
  console.log(`  ${'zip'.padEnd(42)} index.mjs    zipped`);
  for (const lambda of result.lambdas) console.log(`  ${lambda.zipPath.padEnd(42)}${kib(lambda.codeBytes)} ${kib(lambda.zipBytes)}`);
  for (const template of result.templates) console.log(`  ${template}`);
  const required = (name: (typeof TEMPLATE_NAMES)[number]) => requiredParameters(loadTemplate(name)).join(', ');
  console.log(`
Next (docs/deploy.md):
  aws s3 cp ${out}/lambda/ s3://<CodeBucket>/switchyard/ --recursive
  aws cloudformation deploy --template-file ${out}/management.yaml --stack-name switchyard \\
    --s3-bucket <CodeBucket> --s3-prefix switchyard/templates \\
    --capabilities CAPABILITY_NAMED_IAM --parameter-overrides CodeBucket=<CodeBucket> ...
    (required: ${required('management')}; and LdapUrls, LdapBaseDn for the directory)
  member.yaml as a service-managed StackSet on your OUs (required: ${required('member')})
  policy-ci.yaml for plans and pushes from GitHub Actions (required: ${required('policy-ci')}; docs/policy-in-git.md)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
