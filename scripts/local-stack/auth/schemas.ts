// Request bodies, as GoTrue's parameter structs decode them (encoding/json:
// unknown fields ignored, `null` leaves a field at its zero value, a value of
// the wrong JSON type is a `bad_json` error).

import { z } from "zod";

const str = z.string().nullish();
const bool = z.boolean().nullish();
const jsonMap = z.record(z.string(), z.unknown()).nullish();

/** internal/api/signup.go SignupParams */
export const SignupParams = z.object({
  email: str,
  phone: str,
  password: str,
  data: jsonMap,
  channel: str,
  code_challenge_method: str,
  code_challenge: str,
});

/** internal/api/token.go PasswordGrantParams */
export const PasswordGrantParams = z.object({
  email: str,
  phone: str,
  password: str,
});

/** internal/api/token_refresh.go RefreshTokenGrantParams */
export const RefreshTokenGrantParams = z.object({
  refresh_token: str,
});

/** internal/api/user.go UserUpdateParams */
export const UserUpdateParams = z.object({
  email: str,
  password: str,
  current_password: str,
  nonce: str,
  data: jsonMap,
  app_metadata: jsonMap,
  phone: str,
  channel: str,
  code_challenge: str,
  code_challenge_method: str,
});

/** internal/api/recover.go RecoverParams */
export const RecoverParams = z.object({
  email: str,
  code_challenge: str,
  code_challenge_method: str,
});

/** internal/api/verify.go VerifyParams */
export const VerifyParams = z.object({
  type: str,
  token: str,
  token_hash: str,
  email: str,
  phone: str,
  redirect_to: str,
});

/** internal/api/admin.go AdminUserParams */
export const AdminUserParams = z.object({
  id: str,
  aud: str,
  role: str,
  email: str,
  phone: str,
  password: str,
  password_hash: str,
  email_confirm: bool,
  phone_confirm: bool,
  user_metadata: jsonMap,
  app_metadata: jsonMap,
  ban_duration: str,
});

/** internal/api/admin.go adminUserDeleteParams */
export const AdminUserDeleteParams = z.object({
  should_soft_delete: bool,
});

/** internal/api/mail.go GenerateLinkParams */
export const AdminGenerateLinkParams = z.object({
  type: str,
  email: str,
  new_email: str,
  password: str,
  data: jsonMap,
  redirect_to: str,
});

/** internal/api/resend.go ResendConfirmationParams */
export const ResendParams = z.object({
  type: str,
  email: str,
  phone: str,
});
