import { Card } from "../../ui/mod.ts";

export function NotFoundPage() {
  return (
    <Card title="Page not found">
      <a href="#/">Go to the start page</a>
    </Card>
  );
}
