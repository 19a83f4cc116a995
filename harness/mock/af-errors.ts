/**
 * The Management Activity API's error bodies and statuses (management-activity-api.md §4 and the
 * reference's error table). Messages are Microsoft's; statuses Microsoft does not document are
 * chosen as noted in docs/mock.md.
 */

export interface AfError {
  status: number;
  code: string;
  message: string;
}

export const AF = {
  permission: (perms: string): AfError => ({
    status: 403,
    code: 'AF10001',
    message: `The permission set (${perms}) sent in the request did not include the expected permission ActivityFeed.Read.`,
  }),
  missingParameter: (name: string): AfError => ({
    status: 400,
    code: 'AF20001',
    message: `Missing parameter: ${name}.`,
  }),
  invalidParameterType: (name: string, type: string): AfError => ({
    status: 400,
    code: 'AF20002',
    message: `Invalid parameter type: ${name}. Expected type: ${type}`,
  }),
  expirationInPast: (exp: string): AfError => ({
    status: 400,
    code: 'AF20003',
    message: `Expiration ${exp} provided is set to past date and time.`,
  }),
  tenantMismatch: (url: string, token: string): AfError => ({
    status: 401,
    code: 'AF20010',
    message: `The tenant ID passed in the URL (${url}) does not match the tenant ID passed in the access token (${token}).`,
  }),
  tenantUnknown: (t: string): AfError => ({
    status: 400,
    code: 'AF20011',
    message: `Specified tenant ID (${t}) does not exist in the system or has been deleted.`,
  }),
  tenantNotGuid: (t: string): AfError => ({
    status: 400,
    code: 'AF20013',
    message: `The tenant ID passed in the URL (${t}) is not a valid GUID.`,
  }),
  contentType: (): AfError => ({ status: 400, code: 'AF20020', message: 'The specified content type is not valid.' }),
  webhook: (address: string, why: 'status' | 'https'): AfError => ({
    status: 400,
    code: 'AF20021',
    message: `The webhook endpoint {${address}) could not be validated. ${why === 'https' ? 'The address must begin with HTTPS.' : 'The endpoint did not return HTTP 200.'}`,
  }),
  noSubscription: (): AfError => ({
    status: 400,
    code: 'AF20022',
    message: 'No subscription found for the specified content type.',
  }),
  alreadyEnabled: (): AfError => ({
    status: 400,
    code: 'AF20024',
    message: 'The subscription is already enabled. No property change.',
  }),
  window: (): AfError => ({
    status: 400,
    code: 'AF20055',
    message:
      'Start time and end time must both be specified (or both omitted) and must be less than or equal to 24 hours apart, with the start time prior to end time and start time no more than 7 days in the past.',
  }),
  nextPage: (v: string): AfError => ({ status: 400, code: 'AF20031', message: `Invalid nextPage Input: ${v}.` }),
  contentMissing: (id: string): AfError => ({
    status: 404,
    code: 'AF20050',
    message: `The specified content (${id}) does not exist.`,
  }),
  contentExpired: (id: string): AfError => ({
    status: 400,
    code: 'AF20051',
    message: `Content requested with the key ${id} has already expired. Content older than 7 days cannot be retrieved.`,
  }),
  contentIdInvalid: (id: string): AfError => ({
    status: 400,
    code: 'AF20052',
    message: `Content ID ${id} in the URL is invalid.`,
  }),
  oneLanguage: (): AfError => ({
    status: 400,
    code: 'AF20053',
    message: 'Only one language may be present in the Accept-Language header.',
  }),
  languageSyntax: (): AfError => ({
    status: 400,
    code: 'AF20054',
    message: 'Invalid syntax in Accept-Language header.',
  }),
  throttled: (method: string, publisher: string): AfError => ({
    status: 403,
    code: 'AF429',
    message: `Too many requests. Method=${method}, PublisherId=${publisher}`,
  }),
  internal: (): AfError => ({
    status: 500,
    code: 'AF50000',
    message: 'An internal server error occurred. Retry the request.',
  }),
};

export function afBody(e: AfError): { error: { code: string; message: string } } {
  return { error: { code: e.code, message: e.message } };
}

/** The 401 body for a missing or bad bearer token (management-activity-api.md §4). */
export const UNAUTHORIZED_BODY = { Message: 'Authorization has been denied for this request.' };
