import { createHash } from "node:crypto";
import type { Config } from "../../src/config.ts";

type Flavour = "google" | "github";

/** Who the stand-in says the user is. `extraEmails` add to GitHub's /user/emails list. */
export interface StandInIdentity {
  id: string;
  email: string | null;
  verified: boolean;
  firstName?: string;
  lastName?: string;
  login?: string;
  extraEmails?: { email: string; primary: boolean; verified: boolean }[];
}

interface Grant {
  flavour: Flavour;
  challenge: string;
  redirectUri: string;
  identity: StandInIdentity;
}

/** A request the stand-in received: path plus its query or form parameters. */
export interface LoggedRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  basicAuth: boolean;
}

export const STAND_IN_CLIENTS = {
  google: { clientId: "google-client", clientSecret: "google-secret" },
  github: { clientId: "github-client", clientSecret: "github-secret" },
} as const;

/** The env that configures both providers with the stand-in's client credentials. */
export const STAND_IN_ENV = {
  GOOGLE_CLIENT_ID: STAND_IN_CLIENTS.google.clientId,
  GOOGLE_CLIENT_SECRET: STAND_IN_CLIENTS.google.clientSecret,
  GITHUB_CLIENT_ID: STAND_IN_CLIENTS.github.clientId,
  GITHUB_CLIENT_SECRET: STAND_IN_CLIENTS.github.clientSecret,
};

const random = () => Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("base64url");
const s256 = (verifier: string) => createHash("sha256").update(verifier).digest("base64url");

/**
 * A local OAuth 2.0 provider over real HTTP, speaking Google's and GitHub's flavours of the
 * authorization-code flow with PKCE (S256). It consents at once as `identity[flavour]`.
 * `redirectUris` are the registered callback URLs; anything else is refused as providers do.
 */
export function startOAuthProvider(redirectUris: Record<Flavour, string>) {
  const grants = new Map<string, Grant>();
  const accessTokens = new Map<string, { flavour: Flavour; identity: StandInIdentity }>();
  const stand = {
    identity: {
      google: { id: "g-1", email: "someone@example.com", verified: true },
      github: { id: "1", email: "someone@example.com", verified: true },
    } as Record<Flavour, StandInIdentity>,
    /** The next /authorize answers `error=access_denied` (the user clicked Cancel). */
    deny: false,
    /** /token answers 500 (the provider is down). */
    tokenDown: false,
    requests: [] as LoggedRequest[],
  };

  // Google reports a refused grant as 400 invalid_grant; GitHub as 200 with an `error` field.
  const refuse = (flavour: Flavour, error: string, status = 400) =>
    flavour === "google"
      ? Response.json({ error }, { status })
      : Response.json({ error: error === "invalid_grant" ? "bad_verification_code" : error });

  function authorize(flavour: Flavour, q: URLSearchParams): Response {
    const client = STAND_IN_CLIENTS[flavour];
    const redirectUri = q.get("redirect_uri") ?? "";
    // Providers show an error page, not a redirect, for a bad client or redirect URI.
    if (q.get("client_id") !== client.clientId) return new Response("unknown client", { status: 400 });
    if (redirectUri !== redirectUris[flavour]) return new Response("redirect_uri mismatch", { status: 400 });
    const back = new URL(redirectUri);
    back.searchParams.set("state", q.get("state") ?? "");
    const challenge = q.get("code_challenge");
    if (q.get("response_type") !== "code" || q.get("code_challenge_method") !== "S256" || !challenge) {
      back.searchParams.set("error", "invalid_request");
    } else if (stand.deny) {
      back.searchParams.set("error", "access_denied");
    } else {
      const code = random();
      grants.set(code, {
        flavour,
        challenge,
        redirectUri,
        identity: structuredClone(stand.identity[flavour]),
      });
      back.searchParams.set("code", code);
    }
    return Response.redirect(back.href, 302);
  }

  function token(flavour: Flavour, form: URLSearchParams, authorization: string | null): Response {
    if (stand.tokenDown) return new Response("upstream exploded", { status: 500 });
    // arctic's OAuth2Client sends client_secret_basic: Basic base64(id:secret), not form-encoded first.
    const basic = /^Basic (.+)$/.exec(authorization ?? "");
    const [id, secret] = basic
      ? Buffer.from(basic[1]!, "base64").toString().split(/:(.*)/s)
      : [form.get("client_id"), form.get("client_secret")];
    const client = STAND_IN_CLIENTS[flavour];
    if (id !== client.clientId || secret !== client.clientSecret)
      return refuse(flavour, "invalid_client", 401);
    const code = form.get("code") ?? "";
    const grant = grants.get(code);
    grants.delete(code); // single use, whatever the outcome
    if (
      form.get("grant_type") !== "authorization_code" ||
      !grant ||
      grant.flavour !== flavour ||
      form.get("redirect_uri") !== grant.redirectUri ||
      s256(form.get("code_verifier") ?? "") !== grant.challenge
    ) {
      return refuse(flavour, "invalid_grant");
    }
    const accessToken = random();
    accessTokens.set(accessToken, { flavour, identity: grant.identity });
    return Response.json({ access_token: accessToken, token_type: "Bearer", expires_in: 3600, scope: "x" });
  }

  function api(flavour: Flavour, path: string, authorization: string | null): Response {
    const bearer = /^(?:Bearer|token) (.+)$/.exec(authorization ?? "")?.[1];
    const holder = bearer ? accessTokens.get(bearer) : undefined;
    if (!holder || holder.flavour !== flavour)
      return Response.json({ message: "Bad credentials" }, { status: 401 });
    const who = holder.identity;
    if (path === "/google/userinfo") {
      return Response.json({
        sub: who.id,
        email: who.email ?? undefined,
        email_verified: who.email ? who.verified : undefined,
        given_name: who.firstName,
        family_name: who.lastName,
      });
    }
    if (path === "/github/user") {
      const name = [who.firstName, who.lastName].filter(Boolean).join(" ") || null;
      return Response.json({ id: Number(who.id), login: who.login ?? `user${who.id}`, name, email: null });
    }
    const primary = who.email ? [{ email: who.email, primary: true, verified: who.verified }] : [];
    return Response.json([...(who.extraEmails ?? []), ...primary].map((e) => ({ ...e, visibility: null })));
  }

  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      const url = new URL(request.url);
      const form = request.method === "POST" ? new URLSearchParams(await request.text()) : url.searchParams;
      const authorization = request.headers.get("authorization");
      stand.requests.push({
        method: request.method,
        path: url.pathname,
        params: Object.fromEntries(form),
        basicAuth: authorization?.startsWith("Basic ") ?? false,
      });
      const [, flavour, action] = url.pathname.split("/") as [string, Flavour, string];
      if (flavour !== "google" && flavour !== "github") return new Response("not found", { status: 404 });
      if (action === "authorize" && request.method === "GET") return authorize(flavour, url.searchParams);
      if (action === "token" && request.method === "POST") return token(flavour, form, authorization);
      if (["/google/userinfo", "/github/user", "/github/user/emails"].includes(url.pathname))
        return api(flavour, url.pathname, authorization);
      return new Response("not found", { status: 404 });
    },
  });
  const base = server.url.href.replace(/\/$/, "");
  const endpoints = (flavour: Flavour) => ({
    authorize: `${base}/${flavour}/authorize`,
    token: `${base}/${flavour}/token`,
    userinfo: `${base}/${flavour}/${flavour === "google" ? "userinfo" : "user"}`,
    ...(flavour === "github" ? { emails: `${base}/github/user/emails` } : {}),
  });
  return Object.assign(stand, {
    url: base,
    endpoints: { google: endpoints("google"), github: endpoints("github") },
    stop: () => server.stop(true),
  });
}

export type OAuthStandIn = ReturnType<typeof startOAuthProvider>;

/** The configuration with each configured provider pointed at the stand-in's URLs. */
export function pointedAt(config: Config, stand: Pick<OAuthStandIn, "endpoints">): Config {
  const point = (name: Flavour) => {
    const client = config.oauth[name];
    return client ? { ...client, endpoints: stand.endpoints[name] } : undefined;
  };
  return { ...config, oauth: { google: point("google"), github: point("github") } };
}
