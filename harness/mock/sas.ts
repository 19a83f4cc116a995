/**
 * Account shared access signatures, checked as the storage service checks them
 * (https://learn.microsoft.com/rest/api/storageservices/create-account-sas; error codes:
 * https://learn.microsoft.com/rest/api/storageservices/sas-error-codes): the signature over the
 * signed fields with the account key, then the time window, protocol, source IP, service,
 * resource type and permission the operation needs. `serve` hands out one (read + list, 30 days
 * past the replay); any other can be made with the account key from the connection string (e.g.
 * @azure/storage-blob's generateAccountSasQueryParameters) to rehearse a misconfiguration.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isIPv4 } from 'node:net';

export interface AccountSasFields {
  sv: string;
  ss: string;
  srt: string;
  sp: string;
  se: string;
  st?: string;
  sip?: string;
  spr?: string;
  ses?: string;
}

/** what an operation needs of a SAS: its resource type (service, container, object) and permission */
export interface SasNeed {
  srt: 's' | 'c' | 'o';
  sp: 'r' | 'l';
}

export interface SasRefusal {
  status: number;
  code: string;
  message: string;
  detail?: string;
}

/** The string to sign: version 2020-12-06 and later add the encryption scope line. */
function stringToSign(account: string, f: AccountSasFields): string {
  const lines = [account, f.sp, f.ss, f.srt, f.st ?? '', f.se, f.sip ?? '', f.spr ?? '', f.sv];
  if (f.sv >= '2020-12-06') lines.push(f.ses ?? '');
  return `${lines.join('\n')}\n`;
}

export function accountSasSignature(account: string, keyBase64: string, f: AccountSasFields): string {
  return createHmac('sha256', Buffer.from(keyBase64, 'base64'))
    .update(stringToSign(account, f), 'utf8')
    .digest('base64');
}

const AUTH_FAILED =
  'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.';

function ipNumber(ip: string): number {
  return ip.split('.').reduce((n, p) => n * 256 + Number(p), 0);
}

/** undefined when the SAS allows the operation; else the refusal the storage service gives */
export function checkAccountSas(
  q: (name: string) => string | undefined,
  o: { account: string; keyBase64: string; need: SasNeed; https: boolean; remoteIp: string; now: number },
): SasRefusal | undefined {
  const f = {
    sv: q('sv') ?? '',
    ss: q('ss') ?? '',
    srt: q('srt') ?? '',
    sp: q('sp') ?? '',
    se: q('se') ?? '',
    st: q('st'),
    sip: q('sip'),
    spr: q('spr'),
    ses: q('ses'),
  };
  const sig = q('sig') ?? '';
  const missing = (['sv', 'ss', 'srt', 'sp', 'se'] as const).filter((k) => f[k] === '');
  if (missing.length > 0)
    return {
      status: 403,
      code: 'AuthenticationFailed',
      message: AUTH_FAILED,
      detail: q('sr')
        ? 'Only account SAS is supported by this mock (a service SAS names sr); use an account SAS.'
        : `${missing.map((k) => ({ sv: 'sv', ss: 'ss', srt: 'srt', sp: 'sp', se: 'se' })[k]).join(', ')} is mandatory. Cannot be empty`,
    };
  const expected = Buffer.from(accountSasSignature(o.account, o.keyBase64, f));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return {
      status: 403,
      code: 'AuthenticationFailed',
      message: AUTH_FAILED,
      detail: `Signature did not match. String to sign used was ${stringToSign(o.account, f)}`,
    };
  const se = Date.parse(f.se);
  const st = f.st ? Date.parse(f.st) : undefined;
  if (!Number.isFinite(se) || (st !== undefined && !Number.isFinite(st)))
    return {
      status: 403,
      code: 'AuthenticationFailed',
      message: AUTH_FAILED,
      detail: 'se or st is not a valid UTC date',
    };
  if (o.now > se || (st !== undefined && o.now < st)) {
    const fmt = (t: number | undefined) => (t === undefined ? '' : new Date(t).toUTCString());
    return {
      status: 403,
      code: 'AuthenticationFailed',
      message: AUTH_FAILED,
      detail: `Signature not valid in the specified time frame: Start [${fmt(st)}] - Expiry [${fmt(se)}] - Current [${fmt(o.now)}]`,
    };
  }
  if (f.spr !== undefined && f.spr !== '' && !f.spr.split(',').includes(o.https ? 'https' : 'http'))
    return {
      status: 403,
      code: 'AuthorizationProtocolMismatch',
      message: 'This request is not authorized to perform this operation using this protocol.',
    };
  if (f.sip) {
    const ip = o.remoteIp.replace(/^::ffff:/, '');
    const [a = '', b = a] = f.sip.split('-');
    const inRange = isIPv4(ip) && isIPv4(a) && isIPv4(b) && ipNumber(ip) >= ipNumber(a) && ipNumber(ip) <= ipNumber(b);
    if (!inRange)
      return {
        status: 403,
        code: 'AuthorizationSourceIPMismatch',
        message: `This request is not authorized to perform this operation using this source IP ${ip}.`,
      };
  }
  if (!f.ss.includes('b'))
    return {
      status: 403,
      code: 'AuthorizationServiceMismatch',
      message: 'This request is not authorized to perform this operation using this service.',
    };
  if (!f.srt.includes(o.need.srt))
    return {
      status: 403,
      code: 'AuthorizationResourceTypeMismatch',
      message: 'This request is not authorized to perform this operation using this resource type.',
    };
  if (!f.sp.includes(o.need.sp))
    return {
      status: 403,
      code: 'AuthorizationPermissionMismatch',
      message: 'This request is not authorized to perform this operation using this permission.',
    };
  return undefined;
}
