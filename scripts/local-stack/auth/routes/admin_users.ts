// The admin API's user management (api.adminUsers, adminUserCreate,
// adminUserUpdate, adminUserDelete); callers are already checked admins.

import { randomUUID } from "node:crypto";
import { audit, type AuditActor } from "../audit.ts";
import type { App, RequestCtx } from "../context.ts";
import { randomPassword } from "../crypto.ts";
import { type JsonMap, NIL_UUID } from "../db.ts";
import {
  AuthHttpError,
  badRequest,
  databaseError,
  jsonResponse,
  unprocessable,
} from "../errors.ts";
import { byteLength, goValuesEncode, parseGoDuration } from "../go_compat.ts";
import {
  createIdentity,
  findIdentitiesOfUsers,
  type IdentityRow,
  setIdentityAddress,
} from "../identities.ts";
import { parseParams, readParams } from "../params.ts";
import { AdminUserDeleteParams, AdminUserParams } from "../schemas.ts";
import {
  AUD,
  DUPLICATE_EMAIL_MSG,
  findDuplicateEmailUser,
  findUserByPhone,
  listUsers,
  loadUserJson,
  userJson,
  type UserRow,
} from "../users.ts";
import {
  ban,
  bcrypt,
  confirmPhone,
  confirmUser,
  deleteUser,
  insertUser,
  makePermanent,
  setRole,
  softDeleteUser,
  updateAppMetaData,
  updatePassword,
  updateUserMetaData,
} from "../user_writes.ts";
import {
  checkPasswordStrength,
  isUuid,
  MAX_PASSWORD_LENGTH,
  validateEmail,
  validatePhone,
} from "../validation.ts";

const DEFAULT_PER_PAGE = 50;

/** GET /admin/users (offset pagination, Link and X-Total-Count headers) */
export async function adminListUsers(app: App, ctx: RequestCtx): Promise<Response> {
  const q = ctx.url.searchParams;
  let descending = true;
  for (const s of q.getAll("sort")) {
    const [field, dir] = s.split(" ", 2);
    if (field !== "created_at") {
      throw badRequest("validation_failed", `Bad Sort Parameters: bad field for sort '${field}'`);
    }
    if (dir === undefined || dir.toUpperCase() === "DESC") descending = true;
    else if (dir.toUpperCase() === "ASC") descending = false;
    else {
      throw badRequest(
        "validation_failed",
        `Bad Sort Parameters: bad direction for sort '${dir}', only 'asc' and 'desc' allowed`,
      );
    }
  }
  const parseUint = (name: string, dflt: number): number => {
    const raw = q.get(name);
    if (raw === null || raw === "") return dflt;
    if (!/^[0-9]+$/.test(raw)) {
      throw badRequest(
        "validation_failed",
        `Bad Pagination Parameters: strconv.ParseUint: parsing "${raw}": invalid syntax`,
      );
    }
    // Beyond what a page number or size can mean (and what PostgreSQL's LIMIT/OFFSET take).
    if (raw.length > 9) {
      throw badRequest(
        "validation_failed",
        `Bad Pagination Parameters: ${name} must be at most 999999999`,
      );
    }
    return Number(raw);
  };
  const page = parseUint("page", 1);
  const perPage = parseUint("per_page", DEFAULT_PER_PAGE);
  const effPage = page < 1 ? 1 : page;
  const effPerPage = perPage < 1 ? 20 : perPage;

  const { total, users } = await listUsers(app.db, {
    filter: q.get("filter") ?? "",
    descending,
    limit: effPerPage,
    offset: (effPage - 1) * effPerPage,
  });
  const byUser = new Map<string, IdentityRow[]>();
  for (const i of await findIdentitiesOfUsers(app.db, users.map((u) => u.id))) {
    const list = byUser.get(i.user_id) ?? [];
    list.push(i);
    byUser.set(i.user_id, list);
  }

  // addPaginationHeaders (links relative to the Auth API root, as GoTrue sees its URL)
  const totalPages = Math.floor(total / effPerPage) + (total % effPerPage > 0 ? 1 : 0);
  const linkFor = (p: number) => {
    const params: Record<string, string> = {};
    for (const [k, v] of q) if (!(k in params)) params[k] = v;
    params.page = String(p);
    return `${ctx.path}?${goValuesEncode(params)}`;
  };
  let link = "";
  if (totalPages > page) link += `<${linkFor(page + 1)}>; rel="next", `;
  link += `<${linkFor(totalPages)}>; rel="last"`;

  return jsonResponse(200, {
    users: users.map((u) => userJson(u, byUser.get(u.id) ?? [])),
    aud: AUD,
  }, { Link: link, "X-Total-Count": String(total) });
}

/** POST /admin/users */
export async function adminCreateUser(
  app: App,
  ctx: RequestCtx,
  admin: AuditActor,
): Promise<Response> {
  const p = await readParams(ctx.req, AdminUserParams);
  const aud = (p.aud ?? "") !== "" ? p.aud! : AUD;
  let email = p.email ?? "";
  let phone = p.phone ?? "";
  if (email === "" && phone === "") {
    throw badRequest("validation_failed", "Cannot create a user without either an email or phone");
  }
  const providers: string[] = [];
  if (email !== "") {
    email = validateEmail(email);
    if (await findDuplicateEmailUser(app.db, email, null)) {
      throw unprocessable("email_exists", DUPLICATE_EMAIL_MSG);
    }
    providers.push("email");
  }
  if (phone !== "") {
    phone = validatePhone(phone);
    if (await findUserByPhone(app.db, phone)) {
      throw unprocessable("phone_exists", "Phone number already registered by another user");
    }
    providers.push("phone");
  }
  const passwordHash = p.password_hash ?? "";
  let password = p.password ?? null;
  if (password !== null && passwordHash !== "") {
    throw badRequest("validation_failed", "Only a password or a password hash should be provided");
  }
  if ((password === null || password === "") && passwordHash === "") password = randomPassword();
  if (passwordHash !== "" && !/^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$/.test(passwordHash)) {
    throw badRequest("validation_failed", "password_hash must be a bcrypt hash");
  }
  if (password !== null && byteLength(password) > MAX_PASSWORD_LENGTH) {
    throw badRequest("validation_failed", "bcrypt: password length exceeds 72 bytes");
  }
  let id: string = randomUUID();
  if ((p.id ?? "") !== "") {
    if (!isUuid(p.id!)) {
      throw badRequest("validation_failed", "ID must conform to the uuid v4 format");
    }
    if (p.id === NIL_UUID) throw badRequest("validation_failed", "ID cannot be a nil uuid");
    id = p.id!.toLowerCase();
  }
  const banMs = parseBanDuration(p.ban_duration ?? "");
  const userMetaData: JsonMap = p.user_metadata ?? {};

  try {
    await app.transaction(async (tx) => {
      await insertUser(tx, {
        id,
        aud,
        email: email === "" ? null : email,
        phone: phone === "" ? null : phone,
        passwordHash: passwordHash !== "" ? tx`${passwordHash}` : bcrypt(tx, password!),
        appMetaData: { provider: providers[0], providers },
        userMetaData,
      });
      const identityData = { sub: id, email_verified: false, phone_verified: false };
      if (email !== "") await createIdentity(tx, id, "email", { ...identityData, email });
      if (phone !== "") await createIdentity(tx, id, "phone", { ...identityData, phone });
      await audit(tx, admin, "user_signedup", {
        user_id: id,
        user_email: email,
        user_phone: phone,
        provider: providers[0],
      });
      await setRole(tx, id, (p.role ?? "") !== "" ? p.role! : AUD);
      if (p.app_metadata != null) await updateAppMetaData(tx, id, p.app_metadata);
      if (p.email_confirm) await confirmUser(tx, id);
      if (p.phone_confirm) await confirmPhone(tx, id);
      if (banMs !== null) await ban(tx, id, banMs);
    });
  } catch (e) {
    if (e instanceof AuthHttpError) throw e;
    throw databaseError(e);
  }
  return jsonResponse(200, await loadUserJson(app.db, id));
}

/** PUT /admin/users/{id} */
export async function adminUpdateUser(
  app: App,
  ctx: RequestCtx,
  admin: AuditActor,
  user: UserRow,
): Promise<Response> {
  const p = await readParams(ctx.req, AdminUserParams);
  let email = p.email ?? "";
  let phone = p.phone ?? "";
  if (email !== "") email = validateEmail(email);
  if (phone !== "") phone = validatePhone(phone);
  const banMs = parseBanDuration(p.ban_duration ?? "");
  const password = p.password ?? null;
  if (password !== null) checkPasswordStrength(password);

  try {
    await app.transaction(async (tx) => {
      if ((p.role ?? "") !== "") await setRole(tx, user.id, p.role!);
      if (p.email_confirm) await confirmUser(tx, user.id);
      if (p.phone_confirm) await confirmPhone(tx, user.id);
      if (password !== null) await updatePassword(tx, user.id, password, null);
      if (email !== "") {
        await setIdentityAddress(tx, user.id, "email", email, p.email_confirm === true);
        if (user.is_anonymous && p.email_confirm) await makePermanent(tx, user.id);
        await tx`update auth.users set email = ${email}, updated_at = now() where id = ${user.id}`;
      }
      if (phone !== "") {
        await setIdentityAddress(tx, user.id, "phone", phone, p.phone_confirm === true);
        if (user.is_anonymous && p.phone_confirm) await makePermanent(tx, user.id);
        await tx`update auth.users set phone = ${phone}, updated_at = now() where id = ${user.id}`;
      }
      if (p.app_metadata != null) await updateAppMetaData(tx, user.id, p.app_metadata);
      if (p.user_metadata != null) await updateUserMetaData(tx, user.id, p.user_metadata);
      if (banMs !== null) await ban(tx, user.id, banMs);
      await audit(tx, admin, "user_modified", {
        user_id: user.id,
        user_email: email !== "" ? email : (user.email ?? ""),
        user_phone: phone !== "" ? phone : (user.phone ?? ""),
      });
    });
  } catch (e) {
    if (e instanceof AuthHttpError) throw e;
    throw databaseError(e);
  }
  return jsonResponse(200, await loadUserJson(app.db, user.id));
}

/** DELETE /admin/users/{id}; {"should_soft_delete": true} keeps an anonymised row. */
export async function adminDeleteUser(
  app: App,
  ctx: RequestCtx,
  admin: AuditActor,
  user: UserRow,
): Promise<Response> {
  const body = await ctx.req.text();
  const softDelete = body.length === 0
    ? false
    : parseParams(body, AdminUserDeleteParams).should_soft_delete === true;
  try {
    await app.transaction(async (tx) => {
      await audit(tx, admin, "user_deleted", {
        user_id: user.id,
        user_email: user.email ?? "",
        user_phone: user.phone ?? "",
      });
      if (!softDelete) await deleteUser(tx, user.id);
      else if (!user.deleted_at) await softDeleteUser(tx, user);
    });
  } catch (e) {
    if (e instanceof AuthHttpError) throw e;
    throw databaseError(e, "deleting user");
  }
  return jsonResponse(200, {});
}

/** ban_duration: a Go duration, "none" lifts a ban, "" leaves it. */
function parseBanDuration(s: string): number | null {
  if (s === "") return null;
  if (s === "none") return 0;
  const ms = parseGoDuration(s);
  // Go's time.Duration ends at about 292 years.
  if (ms === null || Math.abs(ms) > 9_223_372_036_854) {
    throw badRequest(
      "validation_failed",
      `invalid format for ban duration: time: invalid duration "${s}"`,
    );
  }
  return ms;
}
