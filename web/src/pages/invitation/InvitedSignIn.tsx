import { useEffect } from "preact/hooks";
import type { PageProps } from "../../routes.ts";
import { SignInPage } from "../sign-in/SignInPage.tsx";
import { rememberInvitation } from "./pending.ts";

/** An invitation link opened while signed out: sign in or up first, keeping the token meanwhile. */
export function InvitedSignIn({ params: { token } }: PageProps) {
  useEffect(() => rememberInvitation(token), [token]);
  return (
    <SignInPage
      invited
      onSignUp={(succeeded) => rememberInvitation(token, succeeded)}
    />
  );
}
