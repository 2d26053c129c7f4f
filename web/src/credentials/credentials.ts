import type { Enums, Tables } from "@frontdesk/database";
import { supabase } from "../supabase.ts";

export type CredentialKind = Enums<"credential_kind">;

/** Why the rotation report lists a credential. */
export type RotationReason = "expired" | "expires_soon" | "stale";

/** What the dashboard may know about a secret: never the secret, only when and ending in what. */
export type Credential =
  & Pick<
    Tables<"credentials">,
    "id" | "kind" | "subject_id" | "last4" | "set_at" | "rotated_at" | "expires_at"
  >
  & {
    /** Set when the rotation report lists this credential. */
    rotation: RotationReason | null;
  };

const KIND_LABELS: Record<CredentialKind, string> = {
  twilio_auth_token: "Twilio auth token",
  meta_access_token: "WhatsApp access token",
  meta_app_secret: "Meta app secret",
  meta_verify_token: "Meta webhook verify token",
  google_refresh_token: "Google refresh token",
  google_access_token: "Google access token",
};

export function credentialKindLabel(kind: string): string {
  return KIND_LABELS[kind as CredentialKind] ?? kind;
}

export const ROTATION_LABELS: Record<RotationReason, string> = {
  expired: "Expired",
  expires_soon: "Expires soon",
  stale: "Older than 90 days",
};

/** An organisation's credentials by subject and kind (see `credentialKey`). */
export type Credentials = Map<string, Credential>;

export function credentialKey(subjectId: string, kind: CredentialKind): string {
  return `${subjectId}:${kind}`;
}

/** The metadata of an organisation's credentials, each with its rotation warning if any. */
export async function readCredentials(
  organisationId: string,
): Promise<{ data: Credentials; error: null } | { data: null; error: unknown }> {
  const [metadata, report] = await Promise.all([
    supabase()
      .from("credentials")
      .select("id, kind, subject_id, last4, set_at, rotated_at, expires_at")
      .eq("organisation_id", organisationId),
    supabase()
      .from("credential_rotation_report")
      .select("credential_id, reason")
      .eq("organisation_id", organisationId),
  ]);
  if (metadata.error) return { data: null, error: metadata.error };
  if (report.error) return { data: null, error: report.error };
  const reasons = new Map(
    (report.data as { credential_id: string; reason: RotationReason }[])
      .map((row) => [row.credential_id, row.reason]),
  );
  const found: Credentials = new Map();
  for (const row of metadata.data as Omit<Credential, "rotation">[]) {
    found.set(credentialKey(row.subject_id, row.kind), {
      ...row,
      rotation: reasons.get(row.id) ?? null,
    });
  }
  return { data: found, error: null };
}
