// Every function type-checks with only what `supabase functions deploy` bundles it with (its own
// deno.json), never through the repository's root deno.json.
import assert from "node:assert/strict";
import { repoRoot } from "./config.ts";
import { deployConfigFile, deployConfigFlags } from "./function_deploy_config.ts";
import { functionNames } from "./functions_config.ts";

const supabaseDir = `${repoRoot}/supabase`;
const rootImports = JSON.parse(await Deno.readTextFile(`${repoRoot}/deno.json`)).imports;

async function typeCheck(flags: string[], entry: string): Promise<{ ok: boolean; output: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["check", "--quiet", ...flags, entry],
    cwd: repoRoot,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { ok: out.success, output: dec.decode(out.stdout) + dec.decode(out.stderr) };
}

const names = functionNames(`${supabaseDir}/functions`);

Deno.test("there are functions to check", () => assert.ok(names.length >= 2, names.join()));

for (const name of names) {
  Deno.test(`function ${name} resolves with its own deploy configuration`, async () => {
    const file = deployConfigFile(supabaseDir, name);
    assert.equal(
      file,
      `${supabaseDir}/functions/${name}/deno.json`,
      "each function has a deno.json",
    );
    const { imports } = JSON.parse(await Deno.readTextFile(file!));
    for (const [specifier, target] of Object.entries(imports)) {
      if (specifier in rootImports) {
        assert.equal(target, rootImports[specifier], `${specifier}: one version in the repository`);
      }
    }
    const { ok, output } = await typeCheck(
      deployConfigFlags(supabaseDir, name),
      `${supabaseDir}/functions/${name}/index.ts`,
    );
    assert.ok(ok, `deno check with only ${file} failed:\n${output}`);
  });
}

Deno.test("the check fails for an import only the root deno.json maps", async () => {
  const config = await Deno.makeTempFile({ suffix: ".json" });
  try {
    // The invitations function without its own "zod" entry: the root deno.json has one.
    const { imports } = JSON.parse(
      await Deno.readTextFile(`${supabaseDir}/functions/invitations/deno.json`),
    );
    delete imports.zod;
    await Deno.writeTextFile(config, JSON.stringify({ imports }));
    const { ok, output } = await typeCheck(
      [`--config=${config}`, "--no-lock"],
      `${supabaseDir}/functions/invitations/index.ts`,
    );
    assert.equal(ok, false);
    assert.match(output, /zod/);
  } finally {
    await Deno.remove(config);
  }
});

Deno.test("the deploy configuration is found in the CLI's order", async () => {
  const dir = await Deno.makeTempDir({ prefix: "deploy_config_" });
  const touch = (path: string) => Deno.writeTextFile(`${dir}/${path}`, "{}");
  try {
    await Deno.mkdir(`${dir}/functions/fn`, { recursive: true });
    await Deno.writeTextFile(`${dir}/config.toml`, "");
    assert.equal(deployConfigFile(dir, "fn"), null);
    assert.deepEqual(deployConfigFlags(dir, "fn"), ["--no-config", "--no-lock"]);
    await touch("functions/import_map.json");
    assert.equal(deployConfigFile(dir, "fn"), `${dir}/functions/import_map.json`);
    assert.deepEqual(deployConfigFlags(dir, "fn"), [
      "--no-config",
      "--no-lock",
      `--import-map=${dir}/functions/import_map.json`,
    ]);
    await touch("functions/fn/import_map.json");
    assert.equal(deployConfigFile(dir, "fn"), `${dir}/functions/fn/import_map.json`);
    await touch("functions/fn/deno.jsonc");
    assert.equal(deployConfigFile(dir, "fn"), `${dir}/functions/fn/deno.jsonc`);
    await touch("functions/fn/deno.json");
    assert.equal(deployConfigFile(dir, "fn"), `${dir}/functions/fn/deno.json`);
    assert.deepEqual(deployConfigFlags(dir, "fn"), [
      `--config=${dir}/functions/fn/deno.json`,
      "--no-lock",
    ]);
    await Deno.writeTextFile(`${dir}/config.toml`, `[functions.fn]\nimport_map = "maps/fn.json"\n`);
    assert.equal(deployConfigFile(dir, "fn"), `${dir}/maps/fn.json`, "config.toml comes first");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
