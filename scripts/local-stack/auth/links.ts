// Where links in mails point and where a browser may be sent afterwards
// (GoTrue's utilities.GetReferrer and IsRedirectURLValid).

import { isIP } from "node:net";
import { goQueryEscape } from "./go_compat.ts";

export interface Links {
  /** Same site as site_url (any port on loopback) or matched by the allow list. */
  isAllowedRedirect(url: string): boolean;
  /** utilities.GetReferrer: the allowed redirect_to, else an allowed Referer, else site_url. */
  referrer(req: Request): string;
  /** The /verify link a mail carries. */
  verifyLink(tokenHash: string, type: string, redirectTo: string): string;
}

export function createLinks(opts: {
  siteUrl: string;
  /** without a trailing slash */
  externalUrl: string;
  additionalRedirectUrls?: string[];
}): Links {
  const allowList = (opts.additionalRedirectUrls ?? []).map(globToRegExp);

  function isAllowedRedirect(url: string): boolean {
    if (!url) return false;
    let base: URL, ref: URL;
    try {
      base = new URL(opts.siteUrl);
      ref = new URL(url);
    } catch {
      return false;
    }
    if (
      base.hostname === ref.hostname && base.protocol === ref.protocol &&
      (base.port === ref.port || isLoopbackHost(ref.hostname))
    ) {
      return true;
    }
    const host = ref.hostname.replace(/^\[|\]$/g, "");
    const isHttp = ref.protocol === "http:" || ref.protocol === "https:";
    if (/^[0-9]+$/.test(host)) return false;
    if (isIP(host)) return isLoopbackHost(host);
    if (isHttp && !/^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/.test(host)) return false;
    const matchAgainst = url.split("#")[0];
    return allowList.some((re) => re.test(matchAgainst));
  }

  return {
    isAllowedRedirect,
    referrer(req) {
      const reqref = req.headers.get("redirect_to") ||
        new URL(req.url).searchParams.get("redirect_to") || "";
      if (isAllowedRedirect(reqref)) return reqref;
      const referer = req.headers.get("referer") ?? "";
      if (isAllowedRedirect(referer)) return referer;
      return opts.siteUrl;
    },
    verifyLink(tokenHash, type, redirectTo) {
      const redirect = /[&=#]/.test(redirectTo) ? goQueryEscape(redirectTo) : redirectTo;
      return `${opts.externalUrl}/auth/v1/verify?token=${goQueryEscape(tokenHash)}&type=${
        goQueryEscape(type)
      }&redirect_to=${redirect}`;
    },
  };
}

function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "");
  if (h === "localhost") return true;
  const v = isIP(h);
  if (v === 4) return h.startsWith("127.");
  if (v === 6) return h === "::1" || h === "0:0:0:0:0:0:0:1";
  return false;
}

/** The allow list's glob syntax: `*` stops at `.` and `/`, `**` does not. */
function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*" && glob[i + 1] === "*") {
      re += ".*";
      i++;
    } else if (c === "*") re += "[^./]*";
    else if (c === "?") re += "[^./]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}
