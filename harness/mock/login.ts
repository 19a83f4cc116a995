/**
 * The Microsoft Entra ID endpoints a collector uses: client-credentials token endpoints v1
 * (`/{tenant}/oauth2/token`, `resource`, string-typed numbers) and v2 (`/{tenant}/oauth2/v2.0/token`,
 * `scope=<resource>/.default`), credentials in the body, as HTTP Basic or as a client assertion
 * signed with the app's registered certificate, plus the OpenID
 * configuration, JWKS and instance-discovery documents that MSAL asks for.
 */
import { constants, createHash, type KeyObject, verify, X509Certificate } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { wallNow } from '../../src/core/clock.js';
import { rngStream } from '../../src/core/rng.js';
import type { MockIdentity } from './identity.js';
import { jwk, type SigningKey, signJwt } from './jwt.js';

export const MANAGEMENT_RESOURCE = 'https://manage.office.com';

/** Application roles granted per resource (what a consented app would hold). */
function rolesFor(resource: string): string[] {
  const r = resource.toLowerCase().replace(/\/+$/, '');
  if (r === MANAGEMENT_RESOURCE || r.endsWith('manage.office.com') || r.includes('/api/v1.0'))
    return ['ActivityFeed.Read', 'ActivityFeed.ReadDlp', 'ServiceHealth.Read'];
  if (r.includes('graph.microsoft.com')) return ['AuditLog.Read.All', 'Directory.Read.All'];
  if (r.includes('storage.azure.com')) return [];
  return [];
}

export interface LoginContext {
  identity: MockIdentity;
  key: SigningKey;
  /** the public base URL of the login service (no trailing slash) */
  loginBase(): string;
  /** told of every token issued */
  onIssued?: () => void;
  /** the certificate registered for the app (PEM): client assertions must be signed with its key */
  clientCertificate?: string;
}

/** A registered certificate: its public key and thumbprints (SHA-1 hex, as portals show; x5t / x5t#S256 base64url). */
interface Registered {
  publicKey: KeyObject;
  thumbprint: string;
  x5t: string;
  x5tS256: string;
}

function registered(pem: string | undefined): Registered | undefined {
  if (!pem) return undefined;
  const c = new X509Certificate(pem);
  const sha1 = createHash('sha1').update(c.raw).digest();
  return {
    publicKey: c.publicKey,
    thumbprint: sha1.toString('hex').toUpperCase(),
    x5t: sha1.toString('base64url'),
    x5tS256: createHash('sha256').update(c.raw).digest('base64url'),
  };
}

/**
 * Why a client assertion (RFC 7523, as MSAL and azure-identity build it) is refused, or undefined:
 * it must name the registered certificate (x5t or x5t#S256), be signed with its key (RS256 or
 * PS256), be within its lifetime and be issued by the client itself.
 */
function assertionProblem(assertion: string, cert: Registered | undefined, clientId: string): AadError | undefined {
  const invalid = (code: number, description: string): AadError => ({
    status: 401,
    error: 'invalid_client',
    code,
    description,
  });
  const [h = '', p = '', sig = ''] = assertion.split('.');
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
    payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return invalid(50027, 'JWT token is invalid or malformed.');
  }
  const x5t = typeof header.x5t === 'string' ? header.x5t : undefined;
  const x5tS256 = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : undefined;
  const used = x5tS256
    ? Buffer.from(x5tS256, 'base64url').toString('hex').toUpperCase()
    : Buffer.from(x5t ?? '', 'base64url')
        .toString('hex')
        .toUpperCase();
  if (!cert || (x5tS256 ? x5tS256 !== cert.x5tS256 : x5t !== cert.x5t))
    return invalid(
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${used}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.]`,
    );
  const data = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(sig, 'base64url');
  const ok =
    header.alg === 'RS256'
      ? verify('sha256', data, cert.publicKey, signature)
      : header.alg === 'PS256'
        ? verify(
            'sha256',
            data,
            { key: cert.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
            signature,
          )
        : false;
  if (!ok) return invalid(700027, 'Client assertion contains an invalid signature.');
  const now = Math.floor(wallNow() / 1000);
  if (
    typeof payload.exp !== 'number' ||
    payload.exp <= now ||
    (typeof payload.nbf === 'number' && payload.nbf > now + 300)
  )
    return invalid(700024, 'Client assertion is not within its valid time range.');
  if (String(payload.iss ?? '').toLowerCase() !== clientId || String(payload.sub ?? '').toLowerCase() !== clientId)
    return invalid(700021, "Client assertion application identifier doesn't match 'client_id' parameter.");
  return undefined;
}

interface AadError {
  status: number;
  error: string;
  code: number;
  description: string;
}

function traceId(n: number): string {
  return rngStream('trace', n).uuid();
}

let errorCounter = 0;

function sendAadError(res: Response, e: AadError, v2: boolean): void {
  const now = new Date(wallNow());
  const trace = traceId(++errorCounter);
  const corr = traceId(++errorCounter);
  const stamp = now
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  const description = `AADSTS${e.code}: ${e.description} Trace ID: ${trace} Correlation ID: ${corr} Timestamp: ${stamp}`;
  res.status(e.status);
  if (e.status === 401) res.set('WWW-Authenticate', 'Basic realm=""');
  res.json(
    v2
      ? {
          error: e.error,
          error_description: description,
          error_codes: [e.code],
          timestamp: stamp,
          trace_id: trace,
          correlation_id: corr,
          error_uri: 'https://login.microsoftonline.com/error?code=' + e.code,
        }
      : {
          error: e.error,
          error_description: description,
          error_codes: [e.code],
          timestamp: stamp,
          trace_id: trace,
          correlation_id: corr,
        },
  );
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function basicCredentials(req: Request): { id: string; secret: string } | undefined {
  const h = req.get('authorization');
  if (!h || !/^basic /i.test(h)) return undefined;
  const decoded = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  try {
    return { id: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) };
  } catch {
    return { id: decoded.slice(0, i), secret: decoded.slice(i + 1) };
  }
}

function assertionClientId(assertion: string): string | undefined {
  const p = assertion.split('.')[1];
  if (!p) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { iss?: unknown; sub?: unknown };
    return typeof payload.sub === 'string' ? payload.sub : typeof payload.iss === 'string' ? payload.iss : undefined;
  } catch {
    return undefined;
  }
}

export function resolveTenant(identity: MockIdentity, t: string): boolean {
  const l = t.toLowerCase();
  return l === identity.tenantId || identity.tenantNames.includes(l);
}

export function loginRouter(ctx: LoginContext): Router {
  const r = express.Router();
  const form = express.urlencoded({ extended: false, limit: '64kb' });
  let utiCounter = 0;
  const utiRng = rngStream(ctx.identity.clientId, 'mock', 'uti');
  const cert = registered(ctx.clientCertificate);

  const token = (v2: boolean) => (req: Request, res: Response) => {
    const tenant = req.params.tenant as string;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { identity } = ctx;
    if (!resolveTenant(identity, tenant)) {
      const generic = ['common', 'organizations', 'consumers'].includes(tenant.toLowerCase());
      return sendAadError(
        res,
        generic
          ? {
              status: 400,
              error: 'invalid_request',
              code: 900023,
              description: `Specified tenant identifier '${tenant}' is neither a valid DNS name, nor a valid external domain.`,
            }
          : {
              status: 400,
              error: 'invalid_request',
              code: 90002,
              description: `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
            },
        v2,
      );
    }
    const grant = str(body.grant_type);
    if (!grant)
      return sendAadError(
        res,
        {
          status: 400,
          error: 'invalid_request',
          code: 900144,
          description: "The request body must contain the following parameter: 'grant_type'.",
        },
        v2,
      );
    if (grant !== 'client_credentials')
      return sendAadError(
        res,
        {
          status: 400,
          error: 'unsupported_grant_type',
          code: 70003,
          description: 'The app requested an unsupported grant type.',
        },
        v2,
      );
    const basic = basicCredentials(req);
    const assertion = str(body.client_assertion);
    const clientId = str(body.client_id) ?? basic?.id ?? (assertion ? assertionClientId(assertion) : undefined);
    const secret = str(body.client_secret) ?? basic?.secret;
    if (!clientId)
      return sendAadError(
        res,
        {
          status: 400,
          error: 'invalid_request',
          code: 900144,
          description: "The request body must contain the following parameter: 'client_id'.",
        },
        v2,
      );
    if (clientId.toLowerCase() !== identity.clientId)
      return sendAadError(
        res,
        {
          status: 400,
          error: 'unauthorized_client',
          code: 700016,
          description: `Application with identifier '${clientId}' was not found in the directory '${identity.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
        },
        v2,
      );
    if (assertion) {
      const problem = assertionProblem(assertion, cert, identity.clientId);
      if (problem) return sendAadError(res, problem, v2);
    } else {
      if (secret === undefined)
        return sendAadError(
          res,
          {
            status: 401,
            error: 'invalid_client',
            code: 7000218,
            description:
              "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
          },
          v2,
        );
      if (secret !== identity.clientSecret)
        return sendAadError(
          res,
          {
            status: 401,
            error: 'invalid_client',
            code: 7000215,
            description: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${identity.clientId}'.`,
          },
          v2,
        );
    }
    let resource: string;
    if (v2) {
      const scope = str(body.scope);
      if (!scope)
        return sendAadError(
          res,
          {
            status: 400,
            error: 'invalid_request',
            code: 900144,
            description: "The request body must contain the following parameter: 'scope'.",
          },
          v2,
        );
      const scopes = scope.split(/\s+/).filter((s) => s !== '');
      const main = scopes.find((s) => s.endsWith('/.default'));
      if (!main || scopes.some((s) => !s.endsWith('/.default') && !['openid', 'profile', 'offline_access'].includes(s)))
        return sendAadError(
          res,
          {
            status: 400,
            error: 'invalid_scope',
            code: 1002012,
            description: `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
          },
          v2,
        );
      resource = main.slice(0, -'/.default'.length);
    } else {
      const rr = str(body.resource);
      if (!rr)
        return sendAadError(
          res,
          {
            status: 400,
            error: 'invalid_resource',
            code: 500011,
            description:
              "The resource principal named was not found in the tenant. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant. (missing 'resource')",
          },
          v2,
        );
      resource = rr;
    }
    const now = Math.floor(wallNow() / 1000);
    const exp = now + 3599;
    const tid = identity.tenantId;
    utiCounter++;
    const payload = {
      aud: resource,
      iss: `https://sts.windows.net/${tid}/`,
      iat: now,
      nbf: now,
      exp,
      aio: utiRng.fork(utiCounter).base64url(40),
      app_displayname: 'enumbench collector',
      appid: identity.clientId,
      appidacr: assertion ? '2' : '1',
      idp: `https://sts.windows.net/${tid}/`,
      idtyp: 'app',
      oid: identity.servicePrincipalId,
      rh: '0.AAAA',
      roles: rolesFor(resource),
      sub: identity.servicePrincipalId,
      tid,
      uti: utiRng.fork(`u${utiCounter}`).base64url(22),
      ver: '1.0',
    };
    const accessToken = signJwt(payload, ctx.key);
    ctx.onIssued?.();
    res.set('Cache-Control', 'no-store, no-cache');
    res.set('Pragma', 'no-cache');
    if (v2) {
      res.json({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken });
    } else {
      res.json({
        token_type: 'Bearer',
        expires_in: '3599',
        ext_expires_in: '3599',
        expires_on: String(exp),
        not_before: String(now),
        resource,
        access_token: accessToken,
      });
    }
  };

  r.post('/:tenant/oauth2/token', form, token(false));
  r.post('/:tenant/oauth2/v2.0/token', form, token(true));

  const openid = (v2: boolean) => (req: Request, res: Response) => {
    const tenant = req.params.tenant as string;
    const base = ctx.loginBase();
    const generic = ['common', 'organizations'].includes(tenant.toLowerCase());
    if (!generic && !resolveTenant(ctx.identity, tenant)) {
      res.status(400).json({
        error: 'invalid_tenant',
        error_description: `AADSTS90002: Tenant '${tenant}' not found.`,
        error_codes: [90002],
      });
      return;
    }
    const tid = generic ? '{tenantid}' : ctx.identity.tenantId;
    const t = generic ? tenant : ctx.identity.tenantId;
    const v = v2 ? '/v2.0' : '';
    res.json({
      token_endpoint: `${base}/${t}/oauth2${v}/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/${t}/discovery${v}/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: v2 ? `${base}/${tid}/v2.0` : `https://sts.windows.net/${tid}/`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
      authorization_endpoint: `${base}/${t}/oauth2${v}/authorize`,
      device_authorization_endpoint: `${base}/${t}/oauth2${v}/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/${t}/oauth2${v}/logout`,
      claims_supported: [
        'sub',
        'iss',
        'cloud_instance_name',
        'cloud_instance_host_name',
        'cloud_graph_host_name',
        'msgraph_host',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'acr',
        'nonce',
        'preferred_username',
        'name',
        'tid',
        'ver',
        'at_hash',
        'c_hash',
        'email',
      ],
      kerberos_endpoint: `${base}/${t}/kerberos`,
      tenant_region_scope: 'NA',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
      rbac_url: 'https://pas.windows.net',
    });
  };
  r.get('/:tenant/v2.0/.well-known/openid-configuration', openid(true));
  r.get('/:tenant/.well-known/openid-configuration', openid(false));

  const keys = (_req: Request, res: Response) => {
    res.json({ keys: [jwk(ctx.key)] });
  };
  r.get('/:tenant/discovery/v2.0/keys', keys);
  r.get('/:tenant/discovery/keys', keys);

  r.get('/common/discovery/instance', (req, res) => {
    const base = ctx.loginBase();
    const host = new URL(base).host;
    const authEndpoint = typeof req.query.authorization_endpoint === 'string' ? req.query.authorization_endpoint : '';
    let tenant = ctx.identity.tenantId;
    const m = /^https?:\/\/[^/]+\/([^/]+)\//.exec(authEndpoint);
    if (m?.[1]) tenant = m[1];
    res.json({
      tenant_discovery_endpoint: `${base}/${tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  });

  return r;
}
