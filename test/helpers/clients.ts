import { ActivityClient } from '../../detectors/collect/activity-client.js';
import type { MockServices } from '../../harness/mock/services.js';

export function clientFor(s: MockServices, extra: Partial<ConstructorParameters<typeof ActivityClient>[0]> = {}) {
  const env = s.env();
  return new ActivityClient({
    tenantId: env.ENUMBENCH_TENANT_ID,
    clientId: env.ENUMBENCH_CLIENT_ID,
    clientSecret: env.ENUMBENCH_CLIENT_SECRET,
    loginUrl: env.ENUMBENCH_LOGIN_URL,
    managementUrl: env.ENUMBENCH_MANAGEMENT_URL,
    retry: { attempts: 8, baseDelayMs: 5, maxDelayMs: 50 },
    ...extra,
  });
}
