// GET /health, /settings and /.well-known/jwks.json: what clients ask before
// signing in, with supabase/config.toml's [auth] settings.

import type { App } from "../context.ts";
import { jsonResponse } from "../errors.ts";

const VERSION = "v2-frontdesk-local";

export function health(): Response {
  return jsonResponse(200, {
    version: VERSION,
    name: "GoTrue",
    description: "GoTrue is a user registration and authentication API",
  });
}

export function settings(app: App): Response {
  return jsonResponse(200, {
    external: {
      anonymous_users: false,
      apple: false,
      azure: false,
      bitbucket: false,
      discord: false,
      facebook: false,
      snapchat: false,
      figma: false,
      fly: false,
      github: false,
      gitlab: false,
      google: false,
      keycloak: false,
      kakao: false,
      linkedin: false,
      linkedin_oidc: false,
      notion: false,
      spotify: false,
      slack: false,
      slack_oidc: false,
      workos: false,
      twitch: false,
      twitter: false,
      email: true,
      phone: false,
      zoom: false,
    },
    disable_signup: !app.settings.enableSignup,
    mailer_autoconfirm: !app.settings.enableConfirmations,
    phone_autoconfirm: false,
    sms_provider: "twilio",
    saml_enabled: false,
    saml_private_key_next_configured: false,
    passkeys_enabled: false,
  });
}

export function jwks(): Response {
  // Only a symmetric HS256 secret is configured; GoTrue never publishes it.
  return jsonResponse(200, { keys: [] }, { "Cache-Control": "public, max-age=600" });
}
