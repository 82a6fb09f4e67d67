// The identity provider of the test session: oidc-provider (an OpenID Certified
// implementation), configured from the JSON file named on the command line. Started and
// stopped by tests/identity.py; a key rotation is a restart with other keys.
import { readFileSync } from "node:fs";
import { Provider } from "oidc-provider";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const resourceServer = {
  scope: config.scopes.join(" "),
  audience: config.audience,
  accessTokenTTL: config.access_token_ttl,
  accessTokenFormat: "jwt",
  jwt: { sign: { alg: "RS256" } },
};

const provider = new Provider(config.issuer, {
  clients: config.clients,
  jwks: { keys: config.keys },
  scopes: ["openid", "profile", "roles", ...config.scopes],
  claims: { openid: ["sub"], profile: ["name"], roles: ["roles"] },
  conformIdTokenClaims: false, // the office's rights travel in the ID token
  cookies: { keys: ["irp-test-session-cookies"] },
  ttl: { AccessToken: config.access_token_ttl, ClientCredentials: config.access_token_ttl },
  async findAccount(ctx, id) {
    const account = config.accounts[id] ?? { roles: [] };
    return { accountId: id, claims: async () => ({ sub: id, name: id, roles: account.roles }) };
  },
  features: {
    devInteractions: { enabled: true }, // the provider's own sign-in pages
    clientCredentials: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // integrating systems get JWT access tokens for IRP; people's sign-in keeps the default
      defaultResource: async (ctx, client) =>
        client.grantTypes.includes("client_credentials") ? config.resource : undefined,
      useGrantedResource: async () => false,
      getResourceServerInfo: async () => resourceServer,
    },
  },
});

// what it refuses, with its reason, in the log the tests keep beside it
for (const event of ["authorization.error", "grant.error", "end_session.error", "server_error"]) {
  provider.on(event, (ctx, error) =>
    console.log(`${event}: ${error.error_description ?? error.message}`,
                error.error_detail ?? ""));
}

provider.listen(config.port, "127.0.0.1", () => console.log(`ready ${config.issuer}`));
