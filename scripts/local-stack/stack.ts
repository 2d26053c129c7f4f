// Starts a whole local stack (database, compatibility layer, migrations, PostgREST, Auth,
// Functions, web client) behind one port, and stops every process it started.
import { createAuthServer } from "./auth/server.ts";
import { applyCompatLayer } from "./compat.ts";
import { dbUrl, loadSecrets, repoRoot, type Secrets, type StackConfig } from "./config.ts";
import { createFunctionsHost } from "./functions_host.ts";
import { parseEnvFile } from "./functions_config.ts";
import { createGateway } from "./gateway.ts";
import { createMailSandbox } from "./sandboxes/mail.ts";
import { pushMigrations } from "./migrate.ts";
import { hasMigrationHistory, pgPaths, startPostgres } from "./postgres.ts";
import { apiSettings, functionVolatility, startPostgrest } from "./postgrest.ts";
import { ensureDebianPackages, ensureNpmTools, stackPackages } from "./prereqs.ts";
import { requireFreePort, stopAll } from "./processes.ts";
import { buildWeb, watchWeb } from "./web_build.ts";

export interface RunningStack {
  cfg: StackConfig;
  secrets: Secrets;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Throw the database away and rebuild it from migrations and seed. */
  fresh?: boolean;
  packages?: string[];
  /** Rebuild the web client when its sources change. */
  watchWeb?: boolean;
  log?: (line: string) => void;
}

/** Where functions send mail locally (the sandbox at /_local/mail), with a key made per start. */
function localMailEnv(cfg: StackConfig) {
  return {
    MAIL_API_URL: `${cfg.apiUrl}/_local/mail`,
    MAIL_API_KEY: `re_local_${crypto.randomUUID().replaceAll("-", "")}`,
    MAIL_FROM: "Frontdesk <no-reply@frontdesk.local>",
  };
}

async function loadFunctionsEnv(
  cfg: StackConfig,
  secrets: Secrets,
  mailEnv: Record<string, string>,
): Promise<void> {
  let fileEnv: Record<string, string> = {};
  try {
    fileEnv = parseEnvFile(await Deno.readTextFile(`${repoRoot}/supabase/functions/.env`));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  // What the Supabase Edge Runtime injects into every function.
  const injected = {
    SUPABASE_URL: cfg.apiUrl,
    SUPABASE_ANON_KEY: secrets.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: secrets.serviceRoleKey,
    SUPABASE_DB_URL: dbUrl(cfg),
  };
  // APP_URL (links in mails) defaults to the local dashboard; mail always goes to the sandbox.
  const local = { APP_URL: cfg.apiUrl, ...fileEnv, ...mailEnv };
  for (const [k, v] of Object.entries({ ...local, ...injected })) Deno.env.set(k, v);
}

export async function startStack(cfg: StackConfig, opts: StartOptions = {}): Promise<RunningStack> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const step = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const result = await fn();
    log(`  ${what} (${Math.round(performance.now() - t)} ms)`);
    return result;
  };

  await ensureDebianPackages(opts.packages ?? stackPackages);
  await ensureNpmTools();
  requireFreePort(cfg, cfg.apiPort, "API");
  const secrets = await loadSecrets();
  if (opts.fresh) {
    for (const dir of [(await pgPaths(cfg)).dataDir, cfg.dataDir]) {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  }
  // Logs and mails (sign-in links, codes) are for this user's eyes only.
  for (const dir of [cfg.logDir, cfg.outboxDir]) {
    // Not `mode` on mkdir: it would also close the parent folder the database user enters.
    await Deno.mkdir(dir, { recursive: true });
    await Deno.chmod(dir, 0o700);
  }

  try {
    await step("PostgreSQL 15", () => startPostgres(cfg));
    const firstStart = !(await hasMigrationHistory(cfg));
    await step("Supabase compatibility layer", () => applyCompatLayer(cfg, secrets));
    await step(
      firstStart ? "migrations + seed (supabase db push)" : "migrations (supabase db push)",
      () => pushMigrations(cfg, { seed: firstStart }),
    );
    await step("PostgREST", () => startPostgrest(cfg, secrets));
    const webDir = `${cfg.dataDir}/web`;
    await step("web client", () => buildWeb({ outDir: webDir }));
    const webWatcher = opts.watchWeb ? watchWeb(webDir, log) : null;
    const auth = createAuthServer({
      databaseUrl: dbUrl(cfg, "supabase_auth_admin", secrets.authAdminPassword),
      jwtSecret: secrets.jwtSecret,
      jwtExpirySeconds: 3600,
      siteUrl: cfg.apiUrl,
      externalUrl: cfg.apiUrl,
      outboxDir: cfg.outboxDir,
      signInRateLimit: { max: 30, windowSeconds: 300 },
    });
    const mailEnv = localMailEnv(cfg);
    const mail = createMailSandbox({ outboxDir: cfg.outboxDir, apiKey: mailEnv.MAIL_API_KEY });
    await loadFunctionsEnv(cfg, secrets, mailEnv);
    const functions = createFunctionsHost({
      supabaseDir: `${repoRoot}/supabase`,
      jwtSecret: secrets.jwtSecret,
      log: (line) => log(`functions: ${line}`),
    });
    const volatility = functionVolatility(cfg, secrets);
    const gateway = createGateway(
      cfg,
      secrets,
      { auth, functions, mail, rpcIsVolatile: volatility.rpcIsVolatile },
      webDir,
      (await apiSettings()).schemas,
    );
    return {
      cfg,
      secrets,
      async stop() {
        webWatcher?.close();
        await gateway.shutdown();
        await volatility.close();
        functions.close();
        await auth.close();
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
