import { Card } from "../../ui/mod.ts";

export function HomePage() {
  return (
    <Card title="Welcome">
      <p class="muted">You are signed in.</p>
    </Card>
  );
}
