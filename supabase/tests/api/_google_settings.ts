// The functions' Google settings, which the stack writes to functions.env next to its logs, set
// in this process: a test then acts as service code (tokens.ts) against the same sandbox with the
// same OAuth client.
export async function adoptGoogleSettings(logDir: string): Promise<void> {
  for (const line of (await Deno.readTextFile(`${logDir}/../functions.env`)).split("\n")) {
    const match = line.match(/^(GOOGLE_[A-Z_]+)=(.*)$/);
    if (match) Deno.env.set(match[1], match[2]);
  }
}
