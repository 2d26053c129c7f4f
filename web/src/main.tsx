import { render } from "preact";
import { App } from "./app.tsx";
import { followMemberships } from "./organisations/memberships.ts";
import { followSession } from "./session.ts";
import { connectSupabase } from "./supabase.ts";
import { Alert } from "./ui/mod.ts";

const root = document.getElementById("app")!;

try {
  followSession(await connectSupabase());
  followMemberships();
  render(<App />, root);
} catch (error) {
  render(
    <main>
      <Alert tone="error">
        The dashboard could not start:{" "}
        {error instanceof Error ? error.message : String(error)}. Please reload the page.
      </Alert>
    </main>,
    root,
  );
}
