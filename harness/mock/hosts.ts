/**
 * Which service a request is for, by the name the client used (the Host header, else the TLS
 * server name): one listener serves `login.microsoftonline.com`, `manage.office.com` and
 * `<account>.blob.core.windows.net` at once, each with its own routes and its own error format.
 * A request by address (127.0.0.1, localhost) reaches the login + API service, as before.
 */
import type http from 'node:http';
import { isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';

export type ServiceName = 'login' | 'management' | 'storage' | 'shared';

/** Entra ID's public-cloud authority hosts (what MSAL and azure-identity call). */
export const LOGIN_HOSTS = ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com'];
export const MANAGEMENT_HOST = 'manage.office.com';
/** `<account>.blob.core.windows.net` (account names: 3–24 lower-case letters and digits) */
export const BLOB_HOST = /^([a-z0-9]{3,24})\.blob\.core\.windows\.net$/;

/** The name a request was sent to: the Host header without its port, else (an address) the TLS SNI name. */
export function requestHostname(req: http.IncomingMessage): string {
  const h = (req.headers.host ?? '').toLowerCase();
  const name = h.startsWith('[') ? h.slice(1, Math.max(1, h.indexOf(']'))) : h.replace(/:\d*$/, '');
  if (name !== '' && isIP(name) === 0 && name !== 'localhost') return name;
  const sni = (req.socket as Partial<TLSSocket>).servername;
  return typeof sni === 'string' && sni !== '' ? sni.toLowerCase() : name;
}

/** The public names the mock answers to, besides Microsoft's own (from the public URLs in use). */
export interface PublicHosts {
  login?: string;
  management?: string;
  storage?: string;
}

export function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

export function serviceFor(name: string, pub: PublicHosts): ServiceName {
  if (BLOB_HOST.test(name)) return 'storage';
  if (pub.storage !== undefined && name === pub.storage && pub.storage !== pub.management) return 'storage';
  // one public name for login and API (`--public-url http://my-host:8080`): both, as by address
  if (pub.login !== undefined && pub.login === pub.management && name === pub.login) return 'shared';
  if (LOGIN_HOSTS.includes(name) || name === pub.login) return 'login';
  if (name === MANAGEMENT_HOST || name === pub.management) return 'management';
  return 'shared';
}

/**
 * The public URLs that follow from the API's: under `https://manage.office.com[:port]` login is
 * `https://login.microsoftonline.com[:port]` and the storage feed is host-style
 * `https://<account>.blob.core.windows.net[:port]`, all on the same listener; under any other name
 * login shares the API's URL and storage keeps its own port.
 */
export function derivePublicUrls(
  management: string,
  account: string,
): { login: string; management: string; diagnostics?: string } {
  const u = new URL(management);
  const m = management.replace(/\/+$/, '');
  if (u.hostname.toLowerCase() !== MANAGEMENT_HOST) return { login: m, management: m };
  const port = u.port ? `:${u.port}` : '';
  return {
    login: `${u.protocol}//${LOGIN_HOSTS[0]}${port}`,
    management: m,
    diagnostics: `${u.protocol}//${account}.blob.core.windows.net${port}`,
  };
}
