// Vapi's server URL (verify_jwt = false: Vapi presents VAPI_SERVER_SECRET as X-Vapi-Secret or
// Authorization: Bearer, checked in constant time). The handling is _shared/vapi/server.ts:
// assistant-request → the clinic's transient assistant, tool-calls → results[], call events →
// the call's row. 401 without the secret, 400 for a body that is not a Vapi message.
import { database } from "../_shared/io/db.ts";
import { handleVapi, vapiSettings } from "../_shared/vapi/server.ts";

const settings = vapiSettings();

Deno.serve((req) => handleVapi(req, database(), settings));
