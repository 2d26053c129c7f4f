import { credentialKey } from "../../credentials/credentials.ts";
import type { Channels, PhoneNumber, WhatsAppChannel } from "./use_channels.ts";

/** Whether a channel works, and if not, the one thing to do next ("add the access token"). */
export type ChannelStatus = { ready: true } | { ready: false; label: string };

/** A Twilio account is usable once its auth token is saved (webhooks are checked with it). */
function twilioTokenMissing(channels: Channels, accountId: string | null): boolean {
  return !accountId || !channels.credentials.has(credentialKey(accountId, "twilio_auth_token"));
}

export function phoneNumberStatus(number: PhoneNumber, channels: Channels): ChannelStatus {
  if (!number.active) return { ready: false, label: "Inactive" };
  if (!number.voice_enabled && !number.messaging_enabled) {
    return { ready: false, label: "Incomplete — it answers neither calls nor SMS" };
  }
  if (twilioTokenMissing(channels, number.twilio_account_id)) {
    return { ready: false, label: "Incomplete — add the Twilio account's auth token" };
  }
  return { ready: true };
}

export function whatsappStatus(channel: WhatsAppChannel, channels: Channels): ChannelStatus {
  if (!channel.active) return { ready: false, label: "Inactive" };
  if (channel.provider === "meta") {
    if (!channels.credentials.has(credentialKey(channel.id, "meta_access_token"))) {
      return { ready: false, label: "Incomplete — add the access token" };
    }
  } else if (twilioTokenMissing(channels, channel.twilio_account_id)) {
    return { ready: false, label: "Incomplete — add the Twilio account's auth token" };
  }
  return { ready: true };
}
