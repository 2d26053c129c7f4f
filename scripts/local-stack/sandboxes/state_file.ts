// A sandbox's state in a JSON file of its data folder: read when the sandbox opens, written soon
// after each change (one write at a time, the latest state wins; through a temporary file and a
// rename, so a crash never leaves half a file). Secrets are in it: this user's eyes only.
export class StateFile<T> {
  #writing: Promise<void> = Promise.resolve();
  #dirty = false;

  /** `path` null: nothing is kept. `name` says whose state a failed write was. */
  constructor(readonly path: string | null, readonly name: string) {}

  /** The saved state; null when nothing is kept or nothing was saved yet. */
  async read(): Promise<T | null> {
    if (!this.path) return null;
    try {
      return JSON.parse(await Deno.readTextFile(this.path));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return null;
      throw e;
    }
  }

  /** Writes `state()` soon; taken when the write starts, so later changes go with it. */
  changed(state: () => T): void {
    const path = this.path;
    if (!path || this.#dirty) return;
    this.#dirty = true;
    this.#writing = this.#writing.then(async () => {
      this.#dirty = false;
      const tmp = `${path}.tmp`;
      await Deno.writeTextFile(tmp, JSON.stringify(state()), { mode: 0o600 });
      await Deno.rename(tmp, path);
    }).catch((err) => console.error(`${this.name}: could not save its state: ${err}`));
  }

  /** Resolves once every change so far is on disk. */
  async flush(): Promise<void> {
    await this.#writing;
  }
}
