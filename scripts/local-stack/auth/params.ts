// Request bodies decoded like Go's encoding/json into GoTrue's parameter
// structs (schemas.ts), with the same `bad_json` errors. Text PostgreSQL cannot
// store (NUL, unpaired surrogates) is refused here for every field of every
// route, so that no such value reaches a query and fails there as a 500.

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
  checkJsonText(raw, "", 0);
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

/** Refuses text PostgreSQL cannot store: NUL (U+0000) and unpaired UTF-16 surrogates. */
export function checkText(text: string, what: string) {
  if (text.includes("\u0000")) {
    throw badRequest("validation_failed", `${what} must not contain the NUL character (U+0000)`);
  }
  if (!text.isWellFormed()) {
    throw badRequest("validation_failed", `${what} must be valid Unicode text`);
  }
}

const MAX_JSON_DEPTH = 32;

/** checkText for every key and string value of a decoded JSON body, naming the field. */
function checkJsonText(value: unknown, path: string, depth: number) {
  const what = () => (path === "" ? "The request body" : `Field "${path}"`);
  if (depth > MAX_JSON_DEPTH) {
    throw badRequest(
      "validation_failed",
      `The request body is nested deeper than ${MAX_JSON_DEPTH} levels`,
    );
  }
  if (typeof value === "string") checkText(value, what());
  else if (Array.isArray(value)) {
    value.forEach((v, i) => checkJsonText(v, `${path}[${i}]`, depth + 1));
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      checkText(k, `A key in ${what()}`);
      checkJsonText(v, path === "" ? k : `${path}.${k}`, depth + 1);
    }
  }
}
