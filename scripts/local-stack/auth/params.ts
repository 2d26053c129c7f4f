// Request bodies decoded like Go's encoding/json into GoTrue's parameter
// structs (schemas.ts), with the same `bad_json` errors.

import type { z } from "zod";
import { AuthHttpError, badRequest } from "./errors.ts";
import { byteLength } from "./go_compat.ts";

const MAX_BODY_BYTES = 1 << 20;

export async function readParams<S extends z.ZodType>(
  req: Request,
  schema: S,
): Promise<z.infer<S>> {
  return parseParams(await req.text(), schema);
}

export function parseParams<S extends z.ZodType>(text: string, schema: S): z.infer<S> {
  if (byteLength(text) > MAX_BODY_BYTES) {
    throw new AuthHttpError(
      413,
      "request_entity_too_large",
      `Request body too large (max ${MAX_BODY_BYTES} bytes)`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // Never echo the body: it may hold a password.
    throw badRequest(
      "bad_json",
      text.trim() === ""
        ? "Could not parse request body as JSON: unexpected end of JSON input"
        : "Could not parse request body as JSON: invalid JSON syntax",
    );
  }
  if (raw === null) raw = {};
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw badRequest(
      "bad_json",
      `Could not parse request body as JSON: json: cannot unmarshal ${
        Array.isArray(raw) ? "array" : typeof raw
      } into Go value of type object`,
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badRequest(
      "bad_json",
      `Could not parse request body as JSON: json: cannot unmarshal field "${
        issue.path.join(".")
      }": ${issue.message}`,
    );
  }
  return parsed.data;
}
