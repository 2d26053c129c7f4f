// Builds the dashboard (web/) into static files: index.html plus content-hashed JS and CSS, so
// the server can cache the assets forever and only index.html has to be revalidated, and
// config.json, which tells the app where the project's API is (it may be hosted elsewhere).
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT_DIR = fileURLToPath(new URL("../../", import.meta.url));
const WEB_DIR = `${ROOT_DIR}web/`;

/**
 * The whole app's JavaScript, gzipped, must stay under this so the dashboard loads fast on a phone
 * (the inbox, with Realtime, took it from 144 to 150 KB).
 */
const JS_GZIP_BUDGET_BYTES = 155 * 1024;

export type WebBuild = {
  outDir: string;
  jsBytes: number;
  jsGzipBytes: number;
  /** Whether config.json was written (else the host must put one beside index.html). */
  configured: boolean;
};

/** What the app reads from config.json at boot (web/src/supabase.ts). */
export type RuntimeConfig = { supabaseUrl: string; anonKey: string };

/** Builds web/ into outDir (default web/dist/), which is emptied first. */
export async function buildWeb(
  opts: { outDir?: string; config?: RuntimeConfig } = {},
): Promise<WebBuild> {
  const outDir = opts.outDir ?? `${WEB_DIR}dist`;

  const js = await bundleApp();
  const jsGzipBytes = gzipSync(js).byteLength;
  if (jsGzipBytes > JS_GZIP_BUDGET_BYTES) {
    throw new Error(
      `web build: the app's JavaScript is ${kb(jsGzipBytes)} gzipped, over the ` +
        `${kb(JS_GZIP_BUDGET_BYTES)} budget; find what grew and drop or replace it`,
    );
  }
  const css = await Deno.readFile(`${WEB_DIR}src/ui/ui.css`);

  await Deno.remove(outDir, { recursive: true }).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
  await Deno.mkdir(outDir, { recursive: true });
  const jsName = await writeHashed(outDir, "main", "js", js);
  const cssName = await writeHashed(outDir, "ui", "css", css);

  const html = await Deno.readTextFile(`${WEB_DIR}index.html`);
  await Deno.writeTextFile(
    `${outDir}/index.html`,
    replaceOnce(replaceOnce(html, `"/main.js"`, `"/${jsName}"`), `"/ui.css"`, `"/${cssName}"`),
  );
  if (opts.config) {
    await Deno.writeTextFile(`${outDir}/config.json`, JSON.stringify(opts.config) + "\n");
  }

  return { outDir, jsBytes: js.byteLength, jsGzipBytes, configured: !!opts.config };
}

/** One minified ES module for the browser, resolved through deno.json's import map. */
async function bundleApp(): Promise<Uint8Array> {
  const tempDir = await Deno.makeTempDir({ prefix: "web_build_" });
  try {
    const outFile = `${tempDir}/main.js`;
    const { success, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "bundle",
        "--config",
        `${ROOT_DIR}deno.json`,
        "--platform=browser",
        "--format=esm",
        "--minify",
        "--output",
        outFile,
        `${WEB_DIR}src/main.tsx`,
      ],
      cwd: ROOT_DIR,
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!success) {
      throw new Error(`web build: deno bundle failed:\n${new TextDecoder().decode(stderr)}`);
    }
    return await Deno.readFile(outFile);
  } finally {
    await Deno.remove(tempDir, { recursive: true });
  }
}

async function writeHashed(dir: string, stem: string, ext: string, content: Uint8Array) {
  const hash = createHash("sha256").update(content).digest("hex").slice(0, 12);
  const name = `${stem}-${hash}.${ext}`;
  await Deno.writeFile(`${dir}/${name}`, content);
  return name;
}

function replaceOnce(text: string, search: string, replacement: string): string {
  if (!text.includes(search)) throw new Error(`web build: web/index.html no longer has ${search}`);
  return text.replace(search, replacement);
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

export function describeBuild(build: WebBuild): string {
  return `web build: ${build.outDir} — JavaScript ${kb(build.jsBytes)}, ` +
    `${kb(build.jsGzipBytes)} gzipped (budget ${kb(JS_GZIP_BUDGET_BYTES)})` +
    (build.configured ? "" : NOT_CONFIGURED);
}

const NOT_CONFIGURED = "\nNo config.json written: set SUPABASE_URL and SUPABASE_ANON_KEY to " +
  "the project's API URL and anon key, or host a config.json " +
  '{"supabaseUrl": "…", "anonKey": "…"} beside index.html.';

/** The project's URL and anon key from the environment, as for `deno task build:web`. */
function configFromEnv(): RuntimeConfig | undefined {
  const supabaseUrl = Deno.env.get("SUPABASE_URL");
  const anonKey = Deno.env.get("SUPABASE_ANON_KEY");
  return supabaseUrl && anonKey ? { supabaseUrl, anonKey } : undefined;
}

/** Rebuilds into outDir whenever a source file under web/ changes (for `deno task dev`). */
export function watchWeb(
  outDir: string,
  config: RuntimeConfig,
  log: (line: string) => void,
): Deno.FsWatcher {
  const watcher = Deno.watchFs(`${WEB_DIR}src`, { recursive: true });
  (async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    for await (const _event of watcher) {
      clearTimeout(timer);
      timer = setTimeout(() => {
        buildWeb({ outDir, config }).then((b) => log(describeBuild(b)), (e) => log(e.message));
      }, 100);
    }
  })();
  return watcher;
}

if (import.meta.main) console.log(describeBuild(await buildWeb({ config: configFromEnv() })));
