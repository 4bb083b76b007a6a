// A local OpenID Connect issuer for the sign-in tests: the real `oidc-provider` package (the certified Node.js
// implementation), with its development login and consent pages, where any login name signs in as that account
// (its email is the login name). Test-only: never part of the product.
//   node tests/server/oidc/main.mjs --port 3299 --redirect http://127.0.0.1:3249/api/auth/callback/oidc
import Provider from "oidc-provider";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const port = Number(arg("port", "3252"));
const redirect = arg("redirect", "http://127.0.0.1:3251/api/auth/callback/oidc");

export const CLIENT_ID = "lineage-e2e";
export const CLIENT_SECRET = "lineage-e2e-client-secret";

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [redirect],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  cookies: { keys: ["lineage-e2e-oidc-cookie-key"] },
  pkce: { required: () => true },
  async findAccount(_ctx, id) {
    return { accountId: id, claims: async () => ({ sub: id, email: id.toLowerCase(), email_verified: true, name: id.split("@")[0] }) };
  },
});
provider.listen(port, "127.0.0.1", () => console.log(`oidc issuer on http://127.0.0.1:${port}`));
