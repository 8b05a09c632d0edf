// Bundles the pair into dist/pair.mjs, one ESM file for Node 20 that the bundled `tongbu` imports at run time
// (`pair: <path to dist/pair.mjs>` in tongbu.yaml). better-sqlite3 stays outside (a native module): it is found
// beside this package, as for any pair module shipped with its node_modules.
import { fileURLToPath } from "node:url"
import { build } from "esbuild"

const packageDir = fileURLToPath(new URL("..", import.meta.url))
export const outFile = `${packageDir}dist/pair.mjs`

export const bundlePair = () =>
  build({
    entryPoints: [`${packageDir}src/index.ts`],
    outfile: outFile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    external: ["better-sqlite3"],
    // dependencies written as CommonJS call require() for Node's own modules, which ESM has not got
    banner: {
      js: 'import { createRequire as __pairRequire } from "node:module";const require = __pairRequire(import.meta.url);'
    },
    legalComments: "none",
    logLevel: "warning"
  }).then(() => outFile)

if (process.argv[1] === fileURLToPath(import.meta.url)) console.error(`Built ${await bundlePair()}`)
