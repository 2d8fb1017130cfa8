#!/usr/bin/env node
/**
 * `npm run package`: one self-contained executable, dist/signet-linux-x64, a
 * Node.js single-executable application (https://nodejs.org/api/single-executable-applications.html):
 *
 * 1. esbuild bundles the compiled CLI (dist/src/cli/main.js) and every
 *    dependency into one CommonJS file (a SEA's main script must be CommonJS).
 *    snappy's native binding is routed to src/packaging/embedded.ts, which
 *    unpacks the addon from the executable; the version and commit are
 *    written in with `define`.
 * 2. `node --experimental-sea-config` turns it into a blob, with the addon
 *    and the demo's configuration as assets.
 * 3. postject injects the blob into a copy of this Node.js binary.
 *
 * esbuild and postject are devDependencies; SIGNET_PACKAGE_TOOLS may name
 * another directory whose node_modules holds them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'dist', 'signet-linux-x64');
const WORK = join(ROOT, 'dist', 'package');
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** A devDependency from the project, else from SIGNET_PACKAGE_TOOLS. */
function tool(name) {
  const places = [join(ROOT, 'package.json')];
  if (process.env.SIGNET_PACKAGE_TOOLS)
    places.push(join(process.env.SIGNET_PACKAGE_TOOLS, 'package.json'));
  for (const place of places) {
    try {
      return createRequire(place).resolve(name);
    } catch {
      // Not here: try the next place.
    }
  }
  throw new Error(
    `${name} is not installed: run \`npm ci\` (it is a devDependency) or set SIGNET_PACKAGE_TOOLS`,
  );
}

function git(...args) {
  try {
    return execFileSync('git', args, {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/** The commit the executable is built from; `+dirty` when tracked files differ from it. */
function buildInfo() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const head = git('rev-parse', '--short=12', 'HEAD');
  const dirty = head !== undefined && git('status', '--porcelain', '--untracked-files=no') !== '';
  const branch = git('symbolic-ref', '--short', '-q', 'HEAD');
  return {
    version: pkg.version,
    revision: head === undefined ? 'unknown' : `${head}${dirty ? '+dirty' : ''}`,
    branch: branch || 'unknown',
  };
}

/** snappy's generated loader (its index.js) replaced by one that unpacks the embedded addon. */
const snappyFromAsset = {
  name: 'snappy-from-sea-asset',
  setup(build) {
    build.onResolve({ filter: /^\.\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]snappy[\\/]main\.js$/.test(args.importer)
        ? { path: 'snappy-binding', namespace: 'sea-addon' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'sea-addon' }, () => ({
      contents: `module.exports = require(${JSON.stringify(join(ROOT, 'dist/src/packaging/embedded.js'))}).loadEmbeddedAddon('snappy.node');`,
      loader: 'js',
      resolveDir: ROOT,
    }));
  },
};

async function main() {
  const started = Date.now();
  const entry = join(ROOT, 'dist/src/cli/main.js');
  if (!existsSync(entry))
    throw new Error('dist/src/cli/main.js is missing: run `npx tsc -p tsconfig.json` first');
  const addon = createRequire(createRequire(join(ROOT, 'package.json')).resolve('snappy')).resolve(
    '@napi-rs/snappy-linux-x64-gnu/snappy.linux-x64-gnu.node',
  );
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });

  const info = buildInfo();
  const esbuild = await import(pathToFileURL(tool('esbuild')).href);
  const bundle = join(WORK, 'signet.cjs');
  const result = await esbuild.build({
    stdin: {
      contents: `import { main } from ${JSON.stringify(entry)};\nmain(process.argv.slice(2)).then((code) => { process.exitCode = code; });\n`,
      resolveDir: ROOT,
      sourcefile: 'sea-main.js',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: bundle,
    define: {
      __SIGNET_PACKAGED_BUILD__: JSON.stringify(info),
      'import.meta.url': '__signet_module_url',
    },
    // import.meta does not exist in CommonJS: modules that locate files from it see the executable.
    banner: { js: "var __signet_module_url = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [snappyFromAsset],
    legalComments: 'none',
    logLevel: 'warning',
  });
  if (result.errors.length > 0) throw new Error('esbuild failed');

  const seaConfig = join(WORK, 'sea-config.json');
  const blob = join(WORK, 'signet.blob');
  writeFileSync(
    seaConfig,
    JSON.stringify({
      main: bundle,
      output: blob,
      disableExperimentalSEAWarning: true,
      useCodeCache: true,
      assets: {
        'snappy.node': addon,
        'examples/demo-agent.yaml': join(ROOT, 'examples/demo-agent.yaml'),
      },
    }),
  );
  execFileSync(process.execPath, ['--experimental-sea-config', seaConfig], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });

  rmSync(OUT, { force: true });
  copyFileSync(process.execPath, OUT);
  chmodSync(OUT, 0o755);
  const injected = spawnSync(
    process.execPath,
    [tool('postject/dist/cli.js'), OUT, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE],
    { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] },
  );
  // postject's ELF reader warns about Node's unnamed note sections, harmlessly: keep the rest.
  const stderr = injected.stderr.replace(
    /^warning: Can't find string offset for section name .*\n/gm,
    '',
  );
  if (stderr) process.stderr.write(stderr);
  if (injected.status !== 0) throw new Error(`postject failed (exit ${injected.status})`);
  rmSync(blob);
  const mib = (statSync(OUT).size / 2 ** 20).toFixed(1);
  console.log(
    `${relative(process.cwd(), OUT) || OUT}: signet ${info.version} (commit ${info.revision}), ${mib} MiB, built in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

main().catch((error) => {
  console.error(`npm run package: ${error.message}`);
  process.exitCode = 1;
});
